using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MutualAuth.Certificates;
using Npgsql;

namespace MutualAuth.Storage.PostgreSql;

/// <summary>The <see cref="ICertificateStore"/> shared by every node: the CA, issued certificates, revocations and the CRL signed last.</summary>
/// <param name="database">The database.</param>
public sealed class PostgresCertificateStore(PostgresDatabase database) : ICertificateStore, ISharedCrlStore
{
    /// <summary>The channel on which a revocation (payload: the serials) and a newly published CRL (payload: its number) are announced.</summary>
    public const string RevocationChannel = "mutualauth_revocation";

    private const string IssuedColumns = "serial, name, subject, sans, profile, not_before, not_after, certificate_pem, revoked_at, revocation_reason";

    /// <inheritdoc />
    public Task<CertificateAuthorityRecord?> GetAuthorityAsync(CancellationToken cancellationToken = default) => database.RunAsync(async (connection, cancel) =>
    {
        await using var command = PostgresDatabase.Command(connection, "SELECT name, algorithm, root_pem, intermediate_pem, created_at FROM certificate_authority WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancel).ConfigureAwait(false))
        {
            return null;
        }

        if (!KeyAlgorithmNames.TryParse(reader.GetString(1), out var algorithm))
        {
            throw new StoreException($"Unknown CA key algorithm '{reader.GetString(1)}' in {database.Description}.");
        }

        return new CertificateAuthorityRecord(reader.GetString(0), algorithm, reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4));
    }, cancellationToken);

    /// <inheritdoc />
    public Task SaveAuthorityAsync(CertificateAuthorityRecord authority, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return ExecuteAsync("""
            INSERT INTO certificate_authority (id, name, algorithm, root_pem, intermediate_pem, created_at)
            VALUES (1, @name, @algorithm, @root, @intermediate, @created)
            """, "A certificate authority already exists in this store.", cancellationToken,
            ("name", (object?)authority.Name), ("algorithm", authority.Algorithm.ToName()), ("root", authority.RootCertificatePem),
            ("intermediate", authority.IntermediateCertificatePem), ("created", authority.CreatedAt.ToUniversalTime()));
    }

    /// <inheritdoc />
    public Task AddIssuedAsync(IssuedCertificateRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ExecuteAsync($"""
            INSERT INTO issued_certificate ({IssuedColumns})
            VALUES (@serial, @name, @subject, @sans, @profile, @nb, @na, @pem, NULL, NULL)
            """, $"A certificate with serial {record.SerialNumber} is already recorded.", cancellationToken,
            ("serial", (object?)SerialNumbers.Normalize(record.SerialNumber)), ("name", record.Name), ("subject", record.Subject),
            ("sans", JsonSerializer.Serialize([.. record.SubjectAlternativeNames], PostgresJson.Default.ListString)), ("profile", record.Profile),
            ("nb", record.NotBefore.ToUniversalTime()), ("na", record.NotAfter.ToUniversalTime()), ("pem", record.CertificatePem));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IssuedCertificateRecord>> ListIssuedAsync(CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {IssuedColumns} FROM issued_certificate ORDER BY issued_seq DESC", null, cancellationToken);

    /// <inheritdoc />
    public async Task<IssuedCertificateRecord?> FindIssuedAsync(string serialNumber, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {IssuedColumns} FROM issued_certificate WHERE serial = @serial", SerialNumbers.Normalize(serialNumber), cancellationToken)
            .ConfigureAwait(false)) is [var found, ..] ? found : null;

    /// <inheritdoc />
    public Task<bool> RevokeAsync(string serialNumber, X509RevocationReason reason, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        database.RunAsync(async (connection, cancel) =>
        {
            // The NOTIFY is sent on commit: every node listening refreshes its revocations at once (docs/operations.md).
            await using var command = PostgresDatabase.Command(connection, """
                WITH revoked AS (
                    UPDATE issued_certificate SET revoked_at = @at, revocation_reason = @reason WHERE serial = @serial AND revoked_at IS NULL RETURNING serial)
                SELECT count(*)::int, pg_notify('mutualauth_revocation', string_agg(serial, ',')) FROM revoked
                """, ("serial", SerialNumbers.Normalize(serialNumber)), ("at", at.ToUniversalTime()), ("reason", (int)reason));
            return (int)(await command.ExecuteScalarAsync(cancel).ConfigureAwait(false))! == 1;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<RevokedCertificate>> ListRevokedAsync(CancellationToken cancellationToken = default) =>
        [.. (await QueryAsync($"SELECT {IssuedColumns} FROM issued_certificate WHERE revoked_at IS NOT NULL ORDER BY revoked_at", null, cancellationToken).ConfigureAwait(false))
            .Select(r => new RevokedCertificate(r.SerialNumber, r.RevokedAt!.Value, r.RevocationReason))];

    /// <inheritdoc />
    public Task<long> NextCrlNumberAsync(CancellationToken cancellationToken = default) => database.RunAsync(async (connection, cancel) =>
    {
        await using var command = PostgresDatabase.Command(connection, "UPDATE certificate_authority SET crl_number = crl_number + 1 WHERE id = 1 RETURNING crl_number");
        return await command.ExecuteScalarAsync(cancel).ConfigureAwait(false) is long number
            ? number
            : throw new StoreException("No certificate authority in this store; run 'mutualauth ca init'.");
    }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> PublishCrlAsync(long crlNumber, string crlPem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(crlPem);
        return database.RunAsync(async (connection, cancel) =>
        {
            // Kept only when newer, and announced in the same statement (sent on commit): nodes fetch it at once.
            await using var command = PostgresDatabase.Command(connection, """
                WITH kept AS (
                    UPDATE certificate_authority SET published_crl_number = @number, published_crl_pem = @pem
                    WHERE id = 1 AND (published_crl_number IS NULL OR published_crl_number < @number) RETURNING published_crl_number)
                SELECT count(*)::int, pg_notify('mutualauth_revocation', 'crl:' || max(published_crl_number)::text) FROM kept
                """, ("number", crlNumber), ("pem", crlPem));
            return (int)(await command.ExecuteScalarAsync(cancel).ConfigureAwait(false))! == 1;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string?> GetPublishedCrlAsync(CancellationToken cancellationToken = default) => database.RunAsync(async (connection, cancel) =>
    {
        await using var command = PostgresDatabase.Command(connection, "SELECT published_crl_pem FROM certificate_authority WHERE id = 1");
        return await command.ExecuteScalarAsync(cancel).ConfigureAwait(false) as string;
    }, cancellationToken);

    private Task<int> ExecuteAsync(string sql, string duplicate, CancellationToken cancellationToken, params (string, object?)[] parameters) => database.RunAsync(async (connection, cancel) =>
    {
        await using var command = PostgresDatabase.Command(connection, sql, parameters);
        try
        {
            return await command.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new StoreException(duplicate, e);
        }
    }, cancellationToken);

    private Task<IReadOnlyList<IssuedCertificateRecord>> QueryAsync(string sql, string? serial, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<IssuedCertificateRecord>>(async (connection, cancel) =>
        {
            await using var command = PostgresDatabase.Command(connection, sql, ("serial", serial));
            await using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            var records = new List<IssuedCertificateRecord>();
            while (await reader.ReadAsync(cancel).ConfigureAwait(false))
            {
                records.Add(new IssuedCertificateRecord
                {
                    SerialNumber = reader.GetString(0),
                    Name = reader.GetString(1),
                    Subject = reader.GetString(2),
                    SubjectAlternativeNames = JsonSerializer.Deserialize(reader.GetString(3), PostgresJson.Default.ListString) ?? [],
                    Profile = reader.GetString(4),
                    NotBefore = reader.GetFieldValue<DateTimeOffset>(5),
                    NotAfter = reader.GetFieldValue<DateTimeOffset>(6),
                    CertificatePem = reader.GetString(7),
                    RevokedAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                    RevocationReason = reader.IsDBNull(9) ? null : (X509RevocationReason)reader.GetInt32(9),
                });
            }

            return records;
        }, cancellationToken);
}
