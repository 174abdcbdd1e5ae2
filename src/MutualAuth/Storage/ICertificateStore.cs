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
    CertificateAuthorityRecord? GetAuthority();

    /// <summary>Stores the CA certificates; fails if a CA already exists.</summary>
    /// <exception cref="StoreException">A CA exists or the store cannot be written.</exception>
    void SaveAuthority(CertificateAuthorityRecord authority);

    /// <summary>Records an issued certificate.</summary>
    /// <exception cref="StoreException">The serial exists or the store cannot be written.</exception>
    void AddIssued(IssuedCertificateRecord record);

    /// <summary>All issued certificates, newest first.</summary>
    IReadOnlyList<IssuedCertificateRecord> ListIssued();

    /// <summary>One issued certificate by serial (any hex form), or <see langword="null"/>.</summary>
    IssuedCertificateRecord? FindIssued(string serialNumber);

    /// <summary>Marks a certificate revoked.</summary>
    /// <returns><see langword="false"/> when no such certificate exists or it was already revoked.</returns>
    bool Revoke(string serialNumber, X509RevocationReason reason, DateTimeOffset at);

    /// <summary>The revoked certificates, for a CRL.</summary>
    IReadOnlyList<RevokedCertificate> ListRevoked();

    /// <summary>Reserves the next CRL number (monotonic, starting at 1).</summary>
    long NextCrlNumber();
}
