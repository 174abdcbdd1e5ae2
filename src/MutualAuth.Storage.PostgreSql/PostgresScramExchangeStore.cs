namespace MutualAuth.Storage.PostgreSql;

/// <summary>
/// The <see cref="IScramExchangeStore"/> shared by every node: client-final may reach another node than client-first.
/// Taking is one <c>DELETE … RETURNING</c>, so of two nodes given the same <c>sid</c> at most one gets the exchange.
/// </summary>
/// <param name="database">The database.</param>
public sealed class PostgresScramExchangeStore(PostgresDatabase database) : IScramExchangeStore
{
    private long _nextPurgeTicks;

    /// <inheritdoc />
    public async ValueTask<bool> TryAddAsync(ScramPendingExchange exchange, int capacity, int perAddress, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(exchange.Length, ScramPendingExchange.MaxLength);
        // Purging at most once a minute per node keeps the cost off most logins; expired rows never count meanwhile.
        var purge = now.UtcTicks >= Interlocked.Read(ref _nextPurgeTicks);
        if (purge)
        {
            Interlocked.Exchange(ref _nextPurgeTicks, now.AddMinutes(1).UtcTicks);
        }

        return await database.RunAsync(async (connection, cancel) =>
        {
            if (purge)
            {
                await using var delete = PostgresDatabase.Command(connection, "DELETE FROM scram_exchange WHERE expires_at <= @now", ("now", now.ToUniversalTime()));
                await delete.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
            }

            // The bounds are checked in the insert itself; nodes inserting at the same instant may each pass them, so the
            // bounds may be exceeded by the number of concurrent logins (they limit memory and disk, not security).
            await using var insert = PostgresDatabase.Command(connection, """
                INSERT INTO scram_exchange (id, mechanism, user_name, address, gs2_header, client_first_bare, server_first, expires_at)
                SELECT @id, @mechanism, @user, @address, @gs2, @bare, @first, @expires
                WHERE (SELECT count(*) FROM scram_exchange WHERE expires_at > @now) < @capacity
                  AND (SELECT count(*) FROM scram_exchange WHERE address = @address AND expires_at > @now) < @perAddress
                """, ("id", exchange.Id), ("mechanism", exchange.Mechanism), ("user", exchange.UserName), ("address", exchange.Address), ("gs2", exchange.Gs2Header),
                ("bare", exchange.ClientFirstBare), ("first", exchange.ServerFirst), ("expires", exchange.Expires.ToUniversalTime()), ("now", now.ToUniversalTime()),
                ("capacity", (long)capacity), ("perAddress", (long)perAddress));
            return await insert.ExecuteNonQueryAsync(cancel).ConfigureAwait(false) == 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<ScramPendingExchange?> TakeAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await database.RunAsync(async (connection, cancel) =>
        {
            await using var take = PostgresDatabase.Command(connection, """
                DELETE FROM scram_exchange WHERE id = @id
                RETURNING mechanism, user_name, address, gs2_header, client_first_bare, server_first, expires_at
                """, ("id", id));
            await using var reader = await take.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancel).ConfigureAwait(false))
            {
                return null;
            }

            var exchange = new ScramPendingExchange(id, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6));
            return exchange.Expires > now ? exchange : null;
        }, cancellationToken).ConfigureAwait(false);
    }
}
