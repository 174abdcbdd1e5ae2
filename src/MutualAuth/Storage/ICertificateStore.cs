using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;

namespace MutualAuth.Storage;

/// <summary>
/// CA state: the CA certificates, every certificate issued and its status, and the CRL number.
/// Private keys are not stored here (see the data folder). Every write is atomic.
/// </summary>
public interface ICertificateStore
{
    /// <summary>The CA, or <see langword="null"/> before <c>ca init</c>.</summary>
    /// <exception cref="StoreException">The store cannot be read.</exception>
    Task<CertificateAuthorityRecord?> GetAuthorityAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores the CA certificates; fails if a CA already exists.</summary>
    /// <exception cref="StoreException">A CA exists or the store cannot be written.</exception>
    Task SaveAuthorityAsync(CertificateAuthorityRecord authority, CancellationToken cancellationToken = default);

    /// <summary>Records an issued certificate.</summary>
    /// <exception cref="StoreException">The serial exists or the store cannot be written.</exception>
    Task AddIssuedAsync(IssuedCertificateRecord record, CancellationToken cancellationToken = default);

    /// <summary>All issued certificates, newest first.</summary>
    Task<IReadOnlyList<IssuedCertificateRecord>> ListIssuedAsync(CancellationToken cancellationToken = default);

    /// <summary>One issued certificate by serial (any hex form), or <see langword="null"/>.</summary>
    Task<IssuedCertificateRecord?> FindIssuedAsync(string serialNumber, CancellationToken cancellationToken = default);

    /// <summary>Marks a certificate revoked.</summary>
    /// <returns><see langword="false"/> when no such certificate exists or it was already revoked.</returns>
    Task<bool> RevokeAsync(string serialNumber, X509RevocationReason reason, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The revoked certificates, for a CRL.</summary>
    Task<IReadOnlyList<RevokedCertificate>> ListRevokedAsync(CancellationToken cancellationToken = default);

    /// <summary>Reserves the next CRL number (monotonic, starting at 1).</summary>
    Task<long> NextCrlNumberAsync(CancellationToken cancellationToken = default);
}
