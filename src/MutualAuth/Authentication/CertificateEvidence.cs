using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;

namespace MutualAuth.Authentication;

/// <summary>The certificate that authenticated a peer: its subject and issuer DNs, notAfter and all SANs.</summary>
/// <param name="DistinguishedName">The subject distinguished name.</param>
/// <param name="Issuer">The issuer distinguished name.</param>
/// <param name="NotAfter">The end of validity (UTC).</param>
/// <param name="Names">All subject alternative names.</param>
public sealed record CertificateEvidence(string DistinguishedName, string Issuer, DateTimeOffset NotAfter, SubjectAlternativeNames Names) : IdentityEvidence
{
    /// <summary>The evidence of <paramref name="certificate"/>.</summary>
    public static CertificateEvidence From(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new(certificate.Subject, certificate.Issuer, certificate.NotAfter.ToUniversalTime(), SubjectAlternativeNames.From(certificate));
    }
}
