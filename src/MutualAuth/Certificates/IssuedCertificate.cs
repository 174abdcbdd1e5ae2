using System.Security.Cryptography.X509Certificates;
using MutualAuth.Keys;

namespace MutualAuth.Certificates;

/// <summary>A certificate the CA just issued, its private key when the CA generated it, and its chain.</summary>
public sealed class IssuedCertificate : IDisposable
{
    internal IssuedCertificate(X509Certificate2 certificate, SoftwareSigningKey? privateKey, X509Certificate2 issuer, X509Certificate2 root, CertificateProfile profile)
    {
        Certificate = certificate;
        PrivateKey = privateKey;
        Issuer = issuer;
        Root = root;
        Profile = profile;
    }

    /// <summary>The new certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The private key, when the CA generated it; <see langword="null"/> when it signed a caller's public key.</summary>
    public SoftwareSigningKey? PrivateKey { get; }

    /// <summary>The intermediate that signed <see cref="Certificate"/>.</summary>
    public X509Certificate2 Issuer { get; }

    /// <summary>The root (trust anchor) above <see cref="Issuer"/>.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The profile used.</summary>
    public CertificateProfile Profile { get; }

    /// <summary>The certificate as PEM.</summary>
    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    /// <summary>Leaf followed by the intermediate, the order TLS peers send (curl <c>--cert</c>, nginx <c>ssl_certificate</c>).</summary>
    public string ChainPem => CertificatePem + Issuer.ExportCertificatePem() + "\n";

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        PrivateKey?.Dispose();
    }
}
