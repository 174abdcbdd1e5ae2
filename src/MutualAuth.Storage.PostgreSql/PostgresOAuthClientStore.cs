using Npgsql;

namespace MutualAuth.Storage.PostgreSql;

/// <summary>The <see cref="IOAuthClientStore"/> shared by every node: a client added or rotated through one is used by all.</summary>
/// <param name="database">The database.</param>
public sealed class PostgresOAuthClientStore(PostgresDatabase database) : IOAuthClientStore
{
    private const string Columns = "client_id, auth_method, jwks, scopes, certificate_subject, created_at";

    /// <inheritdoc />
    public Task<bool> AddAsync(OAuthClientRecord client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return ExecuteAsync($"INSERT INTO oauth_client ({Columns}) VALUES (@id, @method, @jwks, @scopes, @subject, @created) ON CONFLICT (client_id) DO NOTHING",
            cancellationToken, ("id", client.ClientId), ("method", client.AuthenticationMethod), ("jwks", client.Jwks), ("scopes", string.Join(' ', client.Scopes)),
            ("subject", client.CertificateSubject), ("created", client.CreatedAt.ToUniversalTime()));
    }

    /// <inheritdoc />
    public async Task<OAuthClientRecord?> FindAsync(string clientId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        return (await QueryAsync("WHERE client_id = @p", clientId, cancellationToken).ConfigureAwait(false)) is [var found, ..] ? found : null;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OAuthClientRecord>> ListAsync(CancellationToken cancellationToken = default) => QueryAsync("", null, cancellationToken);

    /// <inheritdoc />
    public Task<bool> ReplaceKeysAsync(string clientId, string jwks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jwks);
        return ExecuteAsync("UPDATE oauth_client SET jwks = @jwks WHERE client_id = @id", cancellationToken, ("id", clientId), ("jwks", jwks));
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string clientId, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM oauth_client WHERE client_id = @id", cancellationToken, ("id", clientId));

    private Task<bool> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters) => database.RunAsync(async (connection, cancel) =>
    {
        await using var command = PostgresDatabase.Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancel).ConfigureAwait(false) == 1;
    }, cancellationToken);

    private Task<IReadOnlyList<OAuthClientRecord>> QueryAsync(string where, string? parameter, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<OAuthClientRecord>>(async (connection, cancel) =>
        {
            await using var select = PostgresDatabase.Command(connection, $"SELECT {Columns} FROM oauth_client {where} ORDER BY client_id", ("p", parameter));
            await using var reader = await select.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            var result = new List<OAuthClientRecord>();
            while (await reader.ReadAsync(cancel).ConfigureAwait(false))
            {
                result.Add(Read(reader));
            }

            return result;
        }, cancellationToken);

    private static OAuthClientRecord Read(NpgsqlDataReader reader) => new()
    {
        ClientId = reader.GetString(0),
        AuthenticationMethod = reader.GetString(1),
        Jwks = reader.IsDBNull(2) ? null : reader.GetString(2),
        Scopes = reader.GetString(3).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        CertificateSubject = reader.IsDBNull(4) ? null : reader.GetString(4),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(5),
    };
}
