using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MutualAuth.Storage.Sqlite;

/// <summary>The <see cref="IWebAuthnCredentialStore"/> of the embedded default.</summary>
/// <param name="database">The database.</param>
public sealed class SqliteWebAuthnCredentialStore(SqliteDatabase database) : IWebAuthnCredentialStore
{
    private const string Columns = "credential_id, user_name, user_handle, public_key, sign_count, backup_eligible, backed_up, aaguid, attestation_format, created_at, last_used_at";

    /// <inheritdoc />
    public Task<bool> AddAsync(WebAuthnCredentialRecord credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return Task.FromResult(database.RunWrite(connection =>
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO webauthn_credential ({Columns}) VALUES ($id, $user, $handle, $key, $count, $be, $bs, $aaguid, $fmt, $created, NULL) ON CONFLICT (credential_id) DO NOTHING";
            insert.Parameters.AddWithValue("$id", credential.CredentialId);
            insert.Parameters.AddWithValue("$user", credential.UserName);
            insert.Parameters.AddWithValue("$handle", credential.UserHandle);
            insert.Parameters.AddWithValue("$key", credential.PublicKey);
            insert.Parameters.AddWithValue("$count", (long)credential.SignCount);
            insert.Parameters.AddWithValue("$be", credential.BackupEligible);
            insert.Parameters.AddWithValue("$bs", credential.BackedUp);
            insert.Parameters.AddWithValue("$aaguid", credential.Aaguid.ToString("D"));
            insert.Parameters.AddWithValue("$fmt", credential.AttestationFormat);
            insert.Parameters.AddWithValue("$created", SqlTime.Format(credential.CreatedAt));
            return insert.ExecuteNonQuery() == 1;
        }));
    }

    /// <inheritdoc />
    public Task<WebAuthnCredentialRecord?> FindAsync(byte[] credentialId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentialId);
        return Task.FromResult(Query("credential_id = $p", credentialId).FirstOrDefault());
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WebAuthnCredentialRecord>> ListAsync(string userName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userName);
        return Task.FromResult<IReadOnlyList<WebAuthnCredentialRecord>>(Query("user_name = $p", userName));
    }

    /// <inheritdoc />
    public Task<bool> RecordUseAsync(byte[] credentialId, uint previousSignCount, uint signCount, bool backedUp, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentialId);
        return Task.FromResult(database.RunWrite(connection =>
        {
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE webauthn_credential SET sign_count = $count, backed_up = $bs, last_used_at = $at WHERE credential_id = $id AND sign_count = $previous";
            update.Parameters.AddWithValue("$id", credentialId);
            update.Parameters.AddWithValue("$previous", (long)previousSignCount);
            update.Parameters.AddWithValue("$count", (long)signCount);
            update.Parameters.AddWithValue("$bs", backedUp);
            update.Parameters.AddWithValue("$at", SqlTime.Format(at));
            return update.ExecuteNonQuery() == 1;
        }));
    }

    /// <inheritdoc />
    public Task<int> RemoveAsync(string userName, byte[]? credentialId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userName);
        return Task.FromResult(database.RunWrite(connection =>
        {
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM webauthn_credential WHERE user_name = $user" + (credentialId is null ? "" : " AND credential_id = $id");
            delete.Parameters.AddWithValue("$user", userName);
            if (credentialId is not null)
            {
                delete.Parameters.AddWithValue("$id", credentialId);
            }

            return delete.ExecuteNonQuery();
        }));
    }

    private List<WebAuthnCredentialRecord> Query(string where, object parameter) => database.Run(connection =>
    {
        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {Columns} FROM webauthn_credential WHERE {where} ORDER BY created_at, credential_id";
        select.Parameters.AddWithValue("$p", parameter);
        using var reader = select.ExecuteReader();
        var found = new List<WebAuthnCredentialRecord>();
        while (reader.Read())
        {
            found.Add(Read(reader));
        }

        return found;
    });

    private static WebAuthnCredentialRecord Read(SqliteDataReader reader) => new(
        (byte[])reader["credential_id"],
        reader.GetString(1),
        (byte[])reader["user_handle"],
        (byte[])reader["public_key"],
        (uint)reader.GetInt64(4),
        reader.GetBoolean(5),
        reader.GetBoolean(6),
        Guid.Parse(reader.GetString(7), CultureInfo.InvariantCulture),
        reader.GetString(8),
        SqlTime.Parse(reader.GetString(9)),
        reader.IsDBNull(10) ? null : SqlTime.Parse(reader.GetString(10)));
}
