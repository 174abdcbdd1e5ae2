using System.Net;

namespace MutualAuth.Certificates;

/// <summary>
/// What an operator asks the CA to issue: names and a profile. Validity defaults to the profile's
/// lifetime and is always clamped to the issuing CA's own validity.
/// </summary>
public sealed record LeafRequest
{
    /// <summary>Subject common name (CN). It is informative only: names are matched on the SANs.</summary>
    public required string CommonName { get; init; }

    /// <summary>Optional subject organizational unit (OU).</summary>
    public string? OrganizationalUnit { get; init; }

    /// <summary>dNSName SANs (RFC 5280 §4.2.1.6).</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = [];

    /// <summary>iPAddress SANs.</summary>
    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [];

    /// <summary>uniformResourceIdentifier SANs, e.g. SPIFFE IDs (<c>spiffe://trust-domain/path</c>).</summary>
    public IReadOnlyList<Uri> Uris { get; init; } = [];

    /// <summary>rfc822Name SANs.</summary>
    public IReadOnlyList<string> EmailAddresses { get; init; } = [];

    /// <summary>The profile that decides key usage, EKU and default lifetime.</summary>
    public required CertificateProfile Profile { get; init; }

    /// <summary>Start of validity; defaults to now minus <see cref="CertificateAuthority.ClockSkewAllowance"/>.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>End of validity; defaults to <see cref="NotBefore"/> plus the profile's lifetime.</summary>
    public DateTimeOffset? NotAfter { get; init; }
}
