namespace MutualAuth.Storage.PostgreSql;

/// <summary>The <see cref="ITokenSigningKeyStore"/> shared by every node: insert-if-absent on the rotation period.</summary>
/// <param name="database">The database.</param>
internal sealed class PostgresTokenSigningKeyStore(PostgresDatabase database) : ITokenSigningKeyStore
{
    public async ValueTask<bool> TryAddAsync(TokenSigningKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return await database.RunAsync(async (connection, cancel) =>
        {
            // Atomic across nodes: two nodes rotating at once insert one row between them.
            await using var insert = PostgresDatabase.Command(connection, """
                INSERT INTO token_signing_key (period, key_id, created_at, sealed_key) VALUES (@period, @kid, @created, @sealed)
                ON CONFLICT (period) DO NOTHING
                """, ("period", key.Period), ("kid", key.KeyId), ("created", key.CreatedAt.ToUniversalTime()), ("sealed", key.SealedPrivateKey));
            return await insert.ExecuteNonQueryAsync(cancel).ConfigureAwait(false) == 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<TokenSigningKeyRecord>> ListAsync(long fromPeriod, CancellationToken cancellationToken = default) =>
        await database.RunAsync<IReadOnlyList<TokenSigningKeyRecord>>(async (connection, cancel) =>
        {
            await using var select = PostgresDatabase.Command(connection,
                "SELECT period, key_id, created_at, sealed_key FROM token_signing_key WHERE period >= @from ORDER BY period DESC", ("from", fromPeriod));
            await using var reader = await select.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            var keys = new List<TokenSigningKeyRecord>();
            while (await reader.ReadAsync(cancel).ConfigureAwait(false))
            {
                keys.Add(new TokenSigningKeyRecord(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<byte[]>(3)));
            }

            return keys;
        }, cancellationToken).ConfigureAwait(false);

    public async ValueTask DeleteBeforeAsync(long period, CancellationToken cancellationToken = default) =>
        await database.RunAsync(async (connection, cancel) =>
        {
            await using var delete = PostgresDatabase.Command(connection, "DELETE FROM token_signing_key WHERE period < @period", ("period", period));
            return await delete.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
}
