using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;

namespace MutualAuth.Authentication;

/// <summary>
/// The one principal every authentication method produces: who the peer is, how it proved it and with
/// which credential. Converts to a <see cref="ClaimsPrincipal"/> with <see cref="MutualClaimTypes"/>.
/// </summary>
public sealed record MutualIdentity
{
    /// <summary>The subject (<c>sub</c>): for certificates the first URI SAN (SPIFFE ID), else the CN, else the first DNS SAN.</summary>
    public required string Subject { get; init; }

    /// <summary>The method, e.g. <see cref="AuthenticationMethods.MutualTls"/>.</summary>
    public required string Method { get; init; }

    /// <summary>RFC 8176 authentication method reference values (<c>amr</c>).</summary>
    public IReadOnlyList<string> Amr { get; init; } = [];

    /// <summary>The credential used: certificate serial, key id, user name…</summary>
    public required string CredentialId { get; init; }

    /// <summary>What the method saw (<see cref="CertificateEvidence"/>, <see cref="ScramEvidence"/>, <see cref="SignatureEvidence"/>), when known.</summary>
    public IdentityEvidence? Evidence { get; init; }

    /// <summary>
    /// The identity each method established when a route needed several (e.g. <c>mtls+scram</c>), in the route's order;
    /// empty for a single method. <see cref="Subject"/> and <see cref="CredentialId"/> are the first one's.
    /// </summary>
    public IReadOnlyList<AuthenticationFactor> Factors { get; init; } = [];

    /// <summary>Builds the identity of a validated client certificate.</summary>
    public static MutualIdentity FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var evidence = CertificateEvidence.From(certificate);
        var names = evidence.Names;
        var subject = (names.Uris.Count > 0 ? names.Uris[0] : null)
            ?? DistinguishedNames.CommonName(certificate.SubjectName)
            ?? (names.DnsNames.Count > 0 ? names.DnsNames[0] : null)
            ?? certificate.Subject;
        return new MutualIdentity
        {
            Subject = subject,
            Method = AuthenticationMethods.MutualTls,
            // The policy counts only because the certificate was validated against our trust anchors first (callers
            // build identities of validated certificates only), and only card enrolment puts it there.
            Amr = CertificatePolicies.Of(certificate).Contains(Oids.HardwareKeyPolicy)
                ? [AuthenticationMethods.AmrHardwareKey, AuthenticationMethods.AmrSmartCard]
                : [AuthenticationMethods.AmrSoftwareKey],
            CredentialId = SerialNumbers.Normalize(certificate.SerialNumber),
            Evidence = evidence,
        };
    }

    /// <summary>The claims of this identity, for a <see cref="ClaimsIdentity"/> of the given authentication type.</summary>
    public ClaimsPrincipal ToClaimsPrincipal(string authenticationType, string issuer)
    {
        var claims = new List<Claim>
        {
            new(MutualClaimTypes.Subject, Subject, ClaimValueTypes.String, issuer),
            new(ClaimTypes.NameIdentifier, Subject, ClaimValueTypes.String, issuer),
            new(ClaimTypes.Name, Subject, ClaimValueTypes.String, issuer),
            new(MutualClaimTypes.Method, Method, ClaimValueTypes.String, issuer),
            new(MutualClaimTypes.CredentialId, CredentialId, ClaimValueTypes.String, issuer),
        };
        claims.AddRange(Amr.Select(a => new Claim(MutualClaimTypes.Amr, a, ClaimValueTypes.String, issuer)));
        if (Evidence is CertificateEvidence certificate)
        {
            var names = certificate.Names;
            claims.AddRange(names.DnsNames.Select(n => new Claim(MutualClaimTypes.DnsName, n, ClaimValueTypes.String, issuer)));
            claims.AddRange(names.IpAddresses.Select(n => new Claim(MutualClaimTypes.IpAddress, n, ClaimValueTypes.String, issuer)));
            claims.AddRange(names.Uris.Select(n => new Claim(MutualClaimTypes.Uri, n, ClaimValueTypes.String, issuer)));
            claims.AddRange(names.EmailAddresses.Select(n => new Claim(ClaimTypes.Email, n, ClaimValueTypes.String, issuer)));
            claims.Add(new Claim(ClaimTypes.X500DistinguishedName, certificate.DistinguishedName, ClaimValueTypes.String, issuer));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }
}
