namespace MutualAuth.Storage.PostgreSql;

/// <summary>
/// The <see cref="IReplayCache"/> shared by every node: one insert-if-absent per value (the primary key decides, across
/// nodes), an expired record of the same value taken over; expired records are purged as new ones arrive.
/// </summary>
/// <param name="database">The database.</param>
public sealed class PostgresReplayCache(PostgresDatabase database) : IReplayCache
{
    private const int MaxLength = 256;
    private long _nextPurgeTicks;

    /// <inheritdoc />
    public async ValueTask<bool> TryAddAsync(string scope, string value, DateTimeOffset expires, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scope.Length, MaxLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, MaxLength);
        // Purging at most once a minute per node keeps the cost off most inserts.
        var purge = now.UtcTicks >= Interlocked.Read(ref _nextPurgeTicks);
        if (purge)
        {
            Interlocked.Exchange(ref _nextPurgeTicks, now.AddMinutes(1).UtcTicks);
        }

        return await database.RunAsync(async (connection, cancel) =>
        {
            if (purge)
            {
                await using var delete = PostgresDatabase.Command(connection, "DELETE FROM replay_value WHERE expires_at <= @now", ("now", now.ToUniversalTime()));
                await delete.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
            }

            // One statement, atomic under concurrent inserts of the same key from any node: a live record is left alone
            // (no row: a replay), an expired one is taken over.
            await using var insert = PostgresDatabase.Command(connection, """
                INSERT INTO replay_value (scope, value, expires_at) VALUES (@scope, @value, @expires)
                ON CONFLICT (scope, value) DO UPDATE SET expires_at = excluded.expires_at WHERE replay_value.expires_at <= @now
                """, ("scope", scope), ("value", value), ("expires", expires.ToUniversalTime()), ("now", now.ToUniversalTime()));
            return await insert.ExecuteNonQueryAsync(cancel).ConfigureAwait(false) == 1;
        }, cancellationToken).ConfigureAwait(false);
    }
}
