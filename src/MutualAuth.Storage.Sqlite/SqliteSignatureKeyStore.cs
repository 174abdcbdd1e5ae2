using Microsoft.Data.Sqlite;

namespace MutualAuth.Storage.Sqlite;

/// <summary>The <see cref="ISignatureKeyStore"/> of the embedded default.</summary>
/// <param name="database">The database.</param>
public sealed class SqliteSignatureKeyStore(SqliteDatabase database) : ISignatureKeyStore
{
    private const string Columns = "key_id, client, algorithm, public_key, sealed_secret, created_at, not_after, revoked_at";

    /// <inheritdoc />
    public Task AddAsync(SignatureKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        database.Run(connection =>
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO signature_key ({Columns}) VALUES ($id, $client, $alg, $public, $secret, $created, $notAfter, $revoked)";
            insert.Parameters.AddWithValue("$id", key.KeyId);
            insert.Parameters.AddWithValue("$client", key.Client);
            insert.Parameters.AddWithValue("$alg", key.Algorithm);
            insert.Parameters.AddWithValue("$public", (object?)key.PublicKey ?? DBNull.Value);
            insert.Parameters.AddWithValue("$secret", (object?)key.SealedSecret ?? DBNull.Value);
            insert.Parameters.AddWithValue("$created", SqlTime.Format(key.CreatedAt));
            insert.Parameters.AddWithValue("$notAfter", key.NotAfter is { } notAfter ? SqlTime.Format(notAfter) : DBNull.Value);
            insert.Parameters.AddWithValue("$revoked", key.RevokedAt is { } revoked ? SqlTime.Format(revoked) : DBNull.Value);
            return insert.ExecuteNonQuery();
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<SignatureKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Query("WHERE key_id = $p", keyId).FirstOrDefault());

    /// <inheritdoc />
    public Task<IReadOnlyList<SignatureKeyRecord>> ListAsync(string? client = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SignatureKeyRecord>>(client is null ? Query("", null) : Query("WHERE client = $p", client));

    /// <inheritdoc />
    public Task<bool> ExpireAsync(string keyId, DateTimeOffset notAfter, CancellationToken cancellationToken = default) =>
        Update("UPDATE signature_key SET not_after = $at WHERE key_id = $id", keyId, notAfter);

    /// <inheritdoc />
    public Task<bool> RevokeAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Update("UPDATE signature_key SET revoked_at = $at WHERE key_id = $id AND revoked_at IS NULL", keyId, at);

    private Task<bool> Update(string sql, string keyId, DateTimeOffset at) => Task.FromResult(database.Run(connection =>
    {
        using var update = connection.CreateCommand();
        update.CommandText = sql;
        update.Parameters.AddWithValue("$id", keyId);
        update.Parameters.AddWithValue("$at", SqlTime.Format(at));
        return update.ExecuteNonQuery() == 1;
    }));

    private List<SignatureKeyRecord> Query(string where, string? parameter) => database.Run(connection =>
    {
        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {Columns} FROM signature_key {where} ORDER BY created_at DESC, key_id";
        if (parameter is not null)
        {
            select.Parameters.AddWithValue("$p", parameter);
        }

        using var reader = select.ExecuteReader();
        var result = new List<SignatureKeyRecord>();
        while (reader.Read())
        {
            result.Add(Read(reader));
        }

        return result;
    });

    private static SignatureKeyRecord Read(SqliteDataReader reader) => new()
    {
        KeyId = reader.GetString(0),
        Client = reader.GetString(1),
        Algorithm = reader.GetString(2),
        PublicKey = reader.IsDBNull(3) ? null : (byte[])reader[3],
        SealedSecret = reader.IsDBNull(4) ? null : (byte[])reader[4],
        CreatedAt = SqlTime.Parse(reader.GetString(5)),
        NotAfter = reader.IsDBNull(6) ? null : SqlTime.Parse(reader.GetString(6)),
        RevokedAt = reader.IsDBNull(7) ? null : SqlTime.Parse(reader.GetString(7)),
    };
}
