using Npgsql;

namespace MutualAuth.Storage.PostgreSql;

/// <summary>The <see cref="ISignatureKeyStore"/> shared by every node.</summary>
/// <param name="database">The database.</param>
public sealed class PostgresSignatureKeyStore(PostgresDatabase database) : ISignatureKeyStore
{
    private const string Columns = "key_id, client, algorithm, public_key, sealed_secret, created_at, not_after, revoked_at";

    /// <inheritdoc />
    public Task AddAsync(SignatureKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return database.RunAsync(async (connection, cancel) =>
        {
            await using var insert = PostgresDatabase.Command(connection,
                $"INSERT INTO signature_key ({Columns}) VALUES (@id, @client, @alg, @public, @secret, @created, @notAfter, @revoked)",
                ("id", key.KeyId), ("client", key.Client), ("alg", key.Algorithm), ("public", key.PublicKey), ("secret", key.SealedSecret),
                ("created", key.CreatedAt.ToUniversalTime()), ("notAfter", key.NotAfter?.ToUniversalTime()), ("revoked", key.RevokedAt?.ToUniversalTime()));
            try
            {
                return await insert.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new StoreException($"The keyid {key.KeyId} is already registered.", e);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<SignatureKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken = default) =>
        (await QueryAsync("WHERE key_id = @p", keyId, cancellationToken).ConfigureAwait(false)) is [var found, ..] ? found : null;

    /// <inheritdoc />
    public Task<IReadOnlyList<SignatureKeyRecord>> ListAsync(string? client = null, CancellationToken cancellationToken = default) =>
        client is null ? QueryAsync("", null, cancellationToken) : QueryAsync("WHERE client = @p", client, cancellationToken);

    /// <inheritdoc />
    public Task<bool> ExpireAsync(string keyId, DateTimeOffset notAfter, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE signature_key SET not_after = @at WHERE key_id = @id", keyId, notAfter, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE signature_key SET revoked_at = @at WHERE key_id = @id AND revoked_at IS NULL", keyId, at, cancellationToken);

    private Task<bool> UpdateAsync(string sql, string keyId, DateTimeOffset at, CancellationToken cancellationToken) => database.RunAsync(async (connection, cancel) =>
    {
        await using var update = PostgresDatabase.Command(connection, sql, ("id", keyId), ("at", at.ToUniversalTime()));
        return await update.ExecuteNonQueryAsync(cancel).ConfigureAwait(false) == 1;
    }, cancellationToken);

    private Task<IReadOnlyList<SignatureKeyRecord>> QueryAsync(string where, string? parameter, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<SignatureKeyRecord>>(async (connection, cancel) =>
        {
            await using var select = PostgresDatabase.Command(connection, $"SELECT {Columns} FROM signature_key {where} ORDER BY created_at DESC, key_id", ("p", parameter));
            await using var reader = await select.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            var result = new List<SignatureKeyRecord>();
            while (await reader.ReadAsync(cancel).ConfigureAwait(false))
            {
                result.Add(new SignatureKeyRecord
                {
                    KeyId = reader.GetString(0),
                    Client = reader.GetString(1),
                    Algorithm = reader.GetString(2),
                    PublicKey = reader.IsDBNull(3) ? null : (byte[])reader[3],
                    SealedSecret = reader.IsDBNull(4) ? null : (byte[])reader[4],
                    CreatedAt = reader.GetFieldValue<DateTimeOffset>(5),
                    NotAfter = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                    RevokedAt = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                });
            }

            return result;
        }, cancellationToken);
}
