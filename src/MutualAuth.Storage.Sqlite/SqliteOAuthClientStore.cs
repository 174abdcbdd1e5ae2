using Microsoft.Data.Sqlite;

namespace MutualAuth.Storage.Sqlite;

/// <summary>The <see cref="IOAuthClientStore"/> of the embedded default.</summary>
/// <param name="database">The database.</param>
public sealed class SqliteOAuthClientStore(SqliteDatabase database) : IOAuthClientStore
{
    private const string Columns = "client_id, auth_method, jwks, scopes, certificate_subject, created_at";

    /// <inheritdoc />
    public Task<bool> AddAsync(OAuthClientRecord client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Task.FromResult(database.Run(connection =>
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO oauth_client ({Columns}) VALUES ($id, $method, $jwks, $scopes, $subject, $created) ON CONFLICT (client_id) DO NOTHING";
            insert.Parameters.AddWithValue("$id", client.ClientId);
            insert.Parameters.AddWithValue("$method", client.AuthenticationMethod);
            insert.Parameters.AddWithValue("$jwks", (object?)client.Jwks ?? DBNull.Value);
            insert.Parameters.AddWithValue("$scopes", string.Join(' ', client.Scopes));
            insert.Parameters.AddWithValue("$subject", (object?)client.CertificateSubject ?? DBNull.Value);
            insert.Parameters.AddWithValue("$created", SqlTime.Format(client.CreatedAt));
            return insert.ExecuteNonQuery() == 1;
        }));
    }

    /// <inheritdoc />
    public Task<OAuthClientRecord?> FindAsync(string clientId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Query("WHERE client_id = $p", clientId).FirstOrDefault());

    /// <inheritdoc />
    public Task<IReadOnlyList<OAuthClientRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OAuthClientRecord>>(Query("", null));

    /// <inheritdoc />
    public Task<bool> ReplaceKeysAsync(string clientId, string jwks, CancellationToken cancellationToken = default) =>
        Task.FromResult(Execute("UPDATE oauth_client SET jwks = $jwks WHERE client_id = $id", clientId, jwks));

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string clientId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Execute("DELETE FROM oauth_client WHERE client_id = $id", clientId, null));

    private bool Execute(string sql, string clientId, string? jwks) => database.Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", clientId);
        if (jwks is not null)
        {
            command.Parameters.AddWithValue("$jwks", jwks);
        }

        return command.ExecuteNonQuery() == 1;
    });

    private List<OAuthClientRecord> Query(string where, string? parameter) => database.Run(connection =>
    {
        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {Columns} FROM oauth_client {where} ORDER BY client_id";
        if (parameter is not null)
        {
            select.Parameters.AddWithValue("$p", parameter);
        }

        using var reader = select.ExecuteReader();
        var result = new List<OAuthClientRecord>();
        while (reader.Read())
        {
            result.Add(Read(reader));
        }

        return result;
    });

    private static OAuthClientRecord Read(SqliteDataReader reader) => new()
    {
        ClientId = reader.GetString(0),
        AuthenticationMethod = reader.GetString(1),
        Jwks = reader.IsDBNull(2) ? null : reader.GetString(2),
        Scopes = reader.GetString(3).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        CertificateSubject = reader.IsDBNull(4) ? null : reader.GetString(4),
        CreatedAt = SqlTime.Parse(reader.GetString(5)),
    };
}
