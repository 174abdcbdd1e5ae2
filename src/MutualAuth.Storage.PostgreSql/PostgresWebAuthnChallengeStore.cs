namespace MutualAuth.Storage.PostgreSql;

/// <summary>
/// The <see cref="IWebAuthnChallengeStore"/> shared by every node: taking is one <c>DELETE … RETURNING</c> of the row, so of
/// two nodes taking one challenge at once exactly one gets it; expired rows are purged as new ones arrive.
/// </summary>
/// <param name="database">The database.</param>
/// <param name="time">The clock that paces the purge (default: the system's).</param>
public sealed class PostgresWebAuthnChallengeStore(PostgresDatabase database, TimeProvider? time = null) : IWebAuthnChallengeStore
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _nextPurgeTicks;

    /// <inheritdoc />
    public Task AddAsync(string id, string purpose, string payload, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        WebAuthnChallengeLimits.ValidateAdd(id, purpose, payload);
        // Purging at most once a minute per node keeps the table at minutes of challenges without a delete on every add.
        var now = _time.GetUtcNow();
        var purge = now.UtcTicks >= Interlocked.Read(ref _nextPurgeTicks);
        if (purge)
        {
            Interlocked.Exchange(ref _nextPurgeTicks, now.AddMinutes(1).UtcTicks);
        }

        return database.RunAsync(async (connection, cancel) =>
        {
            if (purge)
            {
                await using var delete = PostgresDatabase.Command(connection, "DELETE FROM webauthn_challenge WHERE expires_at <= @now", ("now", now.ToUniversalTime()));
                await delete.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
            }

            await using var insert = PostgresDatabase.Command(connection, "INSERT INTO webauthn_challenge (id, purpose, payload, expires_at) VALUES (@id, @purpose, @payload, @expires)",
                ("id", id), ("purpose", purpose), ("payload", payload), ("expires", expires.ToUniversalTime()));
            return await insert.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<string?> TakeAsync(string id, string purpose, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(purpose);
        if (id.Length > WebAuthnChallengeLimits.MaxIdLength)
        {
            return null;
        }

        return await database.RunAsync(async (connection, cancel) =>
        {
            // Deleted whether expired or for another purpose (a challenge is tried once); returned only when live and for this purpose.
            await using var take = PostgresDatabase.Command(connection, "DELETE FROM webauthn_challenge WHERE id = @id RETURNING purpose, payload, expires_at", ("id", id));
            await using var reader = await take.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            return await reader.ReadAsync(cancel).ConfigureAwait(false)
                && reader.GetString(0) == purpose
                && reader.GetFieldValue<DateTimeOffset>(2) > now
                ? reader.GetString(1)
                : null;
        }, cancellationToken).ConfigureAwait(false);
    }
}
