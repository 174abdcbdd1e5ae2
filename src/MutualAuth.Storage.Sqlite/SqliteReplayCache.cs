namespace MutualAuth.Storage.Sqlite;

// SQLite has no asynchronous I/O (Microsoft.Data.Sqlite's async methods run synchronously), so each call completes at once.

/// <summary>The <see cref="IReplayCache"/> of the embedded default: one insert-if-absent per value; expired records are purged as new ones arrive.</summary>
/// <param name="database">The database.</param>
public sealed class SqliteReplayCache(SqliteDatabase database) : IReplayCache
{
    private const int MaxLength = 256;
    private long _nextPurgeTicks;

    /// <inheritdoc />
    public ValueTask<bool> TryAddAsync(string scope, string value, DateTimeOffset expires, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scope.Length, MaxLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, MaxLength);
        // Purging at most once a minute keeps the cost off most inserts.
        var purge = now.UtcTicks >= Interlocked.Read(ref _nextPurgeTicks);
        if (purge)
        {
            Interlocked.Exchange(ref _nextPurgeTicks, now.AddMinutes(1).UtcTicks);
        }

        return ValueTask.FromResult(database.RunWrite(connection =>
        {
            using var command = connection.CreateCommand();
            command.Parameters.AddWithValue("$now", SqlTime.Format(now));
            if (purge)
            {
                command.CommandText = "DELETE FROM replay_value WHERE expires_at <= $now";
                command.ExecuteNonQuery();
            }

            // One statement, so atomic on its own: a new value is inserted, an expired record of the same value is taken
            // over, a live one is left alone (no row changed: a replay).
            command.Parameters.AddWithValue("$scope", scope);
            command.Parameters.AddWithValue("$value", value);
            command.Parameters.AddWithValue("$expires", SqlTime.Format(expires));
            command.CommandText = """
                INSERT INTO replay_value (scope, value, expires_at) VALUES ($scope, $value, $expires)
                ON CONFLICT (scope, value) DO UPDATE SET expires_at = excluded.expires_at WHERE replay_value.expires_at <= $now
                """;
            return command.ExecuteNonQuery() == 1;
        }));
    }
}
