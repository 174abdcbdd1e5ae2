using Npgsql;

namespace MutualAuth.Storage.PostgreSql;

/// <summary>
/// The <see cref="IWebAuthnCredentialStore"/> shared by every node: a passkey registered through one node logs in on all,
/// and the counter update is one conditional <c>UPDATE</c>, so two nodes cannot both accept one counter value.
/// </summary>
/// <param name="database">The database.</param>
public sealed class PostgresWebAuthnCredentialStore(PostgresDatabase database) : IWebAuthnCredentialStore
{
    private const string Columns = "credential_id, user_name, user_handle, public_key, sign_count, backup_eligible, backed_up, aaguid, attestation_format, created_at, last_used_at";

    /// <inheritdoc />
    public async Task<bool> AddAsync(WebAuthnCredentialRecord credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return await ExecuteAsync($"""
            INSERT INTO webauthn_credential ({Columns}) VALUES (@id, @user, @handle, @key, @count, @be, @bs, @aaguid, @fmt, @created, NULL)
            ON CONFLICT (credential_id) DO NOTHING
            """, cancellationToken, ("id", credential.CredentialId), ("user", credential.UserName), ("handle", credential.UserHandle), ("key", credential.PublicKey),
            ("count", (long)credential.SignCount), ("be", credential.BackupEligible), ("bs", credential.BackedUp), ("aaguid", credential.Aaguid),
            ("fmt", credential.AttestationFormat), ("created", credential.CreatedAt.ToUniversalTime())).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<WebAuthnCredentialRecord?> FindAsync(byte[] credentialId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentialId);
        return (await QueryAsync("credential_id = @p", credentialId, cancellationToken).ConfigureAwait(false)) is [var found, ..] ? found : null;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WebAuthnCredentialRecord>> ListAsync(string userName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userName);
        return QueryAsync("user_name = @p", userName, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> RecordUseAsync(byte[] credentialId, uint previousSignCount, uint signCount, bool backedUp, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentialId);
        // Under READ COMMITTED a concurrent update of the row makes PostgreSQL re-check the WHERE on the new version:
        // of two nodes racing with one counter value, the second updates nothing.
        return await ExecuteAsync("""
            UPDATE webauthn_credential SET sign_count = @count, backed_up = @bs, last_used_at = @at WHERE credential_id = @id AND sign_count = @previous
            """, cancellationToken, ("id", credentialId), ("previous", (long)previousSignCount), ("count", (long)signCount), ("bs", backedUp), ("at", at.ToUniversalTime()))
            .ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public Task<int> RemoveAsync(string userName, byte[]? credentialId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userName);
        return credentialId is null
            ? ExecuteAsync("DELETE FROM webauthn_credential WHERE user_name = @user", cancellationToken, ("user", userName))
            : ExecuteAsync("DELETE FROM webauthn_credential WHERE user_name = @user AND credential_id = @id", cancellationToken, ("user", userName), ("id", credentialId));
    }

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters) => database.RunAsync(async (connection, cancel) =>
    {
        await using var command = PostgresDatabase.Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
    }, cancellationToken);

    private Task<IReadOnlyList<WebAuthnCredentialRecord>> QueryAsync(string where, object parameter, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<WebAuthnCredentialRecord>>(async (connection, cancel) =>
        {
            await using var select = PostgresDatabase.Command(connection, $"SELECT {Columns} FROM webauthn_credential WHERE {where} ORDER BY created_at, credential_id", ("p", parameter));
            await using var reader = await select.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            var found = new List<WebAuthnCredentialRecord>();
            while (await reader.ReadAsync(cancel).ConfigureAwait(false))
            {
                found.Add(Read(reader));
            }

            return found;
        }, cancellationToken);

    private static WebAuthnCredentialRecord Read(NpgsqlDataReader reader) => new(
        (byte[])reader[0],
        reader.GetString(1),
        (byte[])reader[2],
        (byte[])reader[3],
        (uint)reader.GetInt64(4),
        reader.GetBoolean(5),
        reader.GetBoolean(6),
        reader.GetGuid(7),
        reader.GetString(8),
        reader.GetFieldValue<DateTimeOffset>(9),
        reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10));
}
