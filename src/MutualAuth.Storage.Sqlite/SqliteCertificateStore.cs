using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MutualAuth.Certificates;

namespace MutualAuth.Storage.Sqlite;

/// <summary>The <see cref="ICertificateStore"/> of the embedded default.</summary>
/// <param name="database">The database.</param>
public sealed class SqliteCertificateStore(SqliteDatabase database) : ICertificateStore
{
    private const string IssuedColumns = "serial, name, subject, sans, profile, not_before, not_after, certificate_pem, revoked_at, revocation_reason";

    /// <inheritdoc />
    public Task<CertificateAuthorityRecord?> GetAuthorityAsync(CancellationToken cancellationToken = default) => RunAsync<CertificateAuthorityRecord?>(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, algorithm, root_pem, intermediate_pem, created_at FROM certificate_authority WHERE id = 1";
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        if (!KeyAlgorithmNames.TryParse(reader.GetString(1), out var algorithm))
        {
            throw new StoreException($"Unknown CA key algorithm '{reader.GetString(1)}' in '{database.Path}'.");
        }

        return new CertificateAuthorityRecord(reader.GetString(0), algorithm, reader.GetString(2), reader.GetString(3), SqlTime.Parse(reader.GetString(4)));
    });

    /// <inheritdoc />
    public Task SaveAuthorityAsync(CertificateAuthorityRecord authority, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO certificate_authority (id, name, algorithm, root_pem, intermediate_pem, created_at)
                VALUES (1, $name, $algorithm, $root, $intermediate, $created)
                """;
            command.Parameters.AddWithValue("$name", authority.Name);
            command.Parameters.AddWithValue("$algorithm", authority.Algorithm.ToName());
            command.Parameters.AddWithValue("$root", authority.RootCertificatePem);
            command.Parameters.AddWithValue("$intermediate", authority.IntermediateCertificatePem);
            command.Parameters.AddWithValue("$created", SqlTime.Format(authority.CreatedAt));
            try
            {
                return command.ExecuteNonQuery();
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19)
            {
                throw new StoreException("A certificate authority already exists in this data folder.", e);
            }
        });
    }

    /// <inheritdoc />
    public Task AddIssuedAsync(IssuedCertificateRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                INSERT INTO issued_certificate ({IssuedColumns}, issued_seq)
                VALUES ($serial, $name, $subject, $sans, $profile, $nb, $na, $pem, NULL, NULL,
                        (SELECT COALESCE(MAX(issued_seq), 0) + 1 FROM issued_certificate))
                """;
            command.Parameters.AddWithValue("$serial", SerialNumbers.Normalize(record.SerialNumber));
            command.Parameters.AddWithValue("$name", record.Name);
            command.Parameters.AddWithValue("$subject", record.Subject);
            command.Parameters.AddWithValue("$sans", JsonSerializer.Serialize([.. record.SubjectAlternativeNames], StorageJson.Default.ListString));
            command.Parameters.AddWithValue("$profile", record.Profile);
            command.Parameters.AddWithValue("$nb", SqlTime.Format(record.NotBefore));
            command.Parameters.AddWithValue("$na", SqlTime.Format(record.NotAfter));
            command.Parameters.AddWithValue("$pem", record.CertificatePem);
            try
            {
                return command.ExecuteNonQuery();
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19)
            {
                throw new StoreException($"A certificate with serial {record.SerialNumber} is already recorded.", e);
            }
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IssuedCertificateRecord>> ListIssuedAsync(CancellationToken cancellationToken = default) =>
        Query($"SELECT {IssuedColumns} FROM issued_certificate ORDER BY issued_seq DESC", null);

    /// <inheritdoc />
    public async Task<IssuedCertificateRecord?> FindIssuedAsync(string serialNumber, CancellationToken cancellationToken = default) =>
        (await Query($"SELECT {IssuedColumns} FROM issued_certificate WHERE serial = $serial", SerialNumbers.Normalize(serialNumber)).ConfigureAwait(false)) is [var found, ..] ? found : null;

    /// <inheritdoc />
    public Task<bool> RevokeAsync(string serialNumber, X509RevocationReason reason, DateTimeOffset at, CancellationToken cancellationToken = default) => RunAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE issued_certificate SET revoked_at = $at, revocation_reason = $reason WHERE serial = $serial AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$serial", SerialNumbers.Normalize(serialNumber));
        command.Parameters.AddWithValue("$at", SqlTime.Format(at));
        command.Parameters.AddWithValue("$reason", (int)reason);
        return command.ExecuteNonQuery() == 1;
    });

    /// <inheritdoc />
    public async Task<IReadOnlyList<RevokedCertificate>> ListRevokedAsync(CancellationToken cancellationToken = default) =>
        [.. (await Query($"SELECT {IssuedColumns} FROM issued_certificate WHERE revoked_at IS NOT NULL ORDER BY revoked_at", null).ConfigureAwait(false))
            .Select(r => new RevokedCertificate(r.SerialNumber, r.RevokedAt!.Value, r.RevocationReason))];

    /// <inheritdoc />
    public Task<long> NextCrlNumberAsync(CancellationToken cancellationToken = default) => RunAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE certificate_authority SET crl_number = crl_number + 1 WHERE id = 1 RETURNING crl_number";
        return command.ExecuteScalar() is long number ? number : throw new StoreException("No certificate authority in this data folder; run 'mutualauth ca init'.");
    });

    private Task<IReadOnlyList<IssuedCertificateRecord>> Query(string sql, string? serial) => RunAsync<IReadOnlyList<IssuedCertificateRecord>>(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (serial is not null)
        {
            command.Parameters.AddWithValue("$serial", serial);
        }

        using var reader = command.ExecuteReader();
        var records = new List<IssuedCertificateRecord>();
        while (reader.Read())
        {
            records.Add(new IssuedCertificateRecord
            {
                SerialNumber = reader.GetString(0),
                Name = reader.GetString(1),
                Subject = reader.GetString(2),
                SubjectAlternativeNames = JsonSerializer.Deserialize(reader.GetString(3), StorageJson.Default.ListString) ?? [],
                Profile = reader.GetString(4),
                NotBefore = SqlTime.Parse(reader.GetString(5)),
                NotAfter = SqlTime.Parse(reader.GetString(6)),
                CertificatePem = reader.GetString(7),
                RevokedAt = reader.IsDBNull(8) ? null : SqlTime.Parse(reader.GetString(8)),
                RevocationReason = reader.IsDBNull(9) ? null : (X509RevocationReason)reader.GetInt32(9),
            });
        }

        return records;
    });

    // SQLite has no asynchronous I/O (Microsoft.Data.Sqlite's async methods run synchronously): each call completes at once.
    private Task<T> RunAsync<T>(Func<SqliteConnection, T> action) => Task.FromResult(database.Run(action));
}
