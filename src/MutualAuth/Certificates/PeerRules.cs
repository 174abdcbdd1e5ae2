using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>
/// Allow-rules on a validated peer certificate (subject CN or OU, DNS or URI SAN): any matching rule allows the peer;
/// no rules allow every certificate that passed chain validation.
/// </summary>
public sealed class PeerRules
{
    /// <summary>Rules that allow every validated peer.</summary>
    public static PeerRules AllowAny { get; } = new();

    /// <summary>Globs on the subject common name.</summary>
    public IList<GlobPattern> CommonNames { get; } = [];

    /// <summary>Globs on the subject organizational units.</summary>
    public IList<GlobPattern> OrganizationalUnits { get; } = [];

    /// <summary>Globs on DNS SANs; <c>*</c> stays within one label.</summary>
    public IList<GlobPattern> DnsNames { get; } = [];

    /// <summary>Globs on URI SANs; <c>*</c> stays within one path segment.</summary>
    public IList<GlobPattern> Uris { get; } = [];

    /// <summary>Whether no rule is configured (every validated peer is allowed).</summary>
    public bool IsEmpty => CommonNames.Count + OrganizationalUnits.Count + DnsNames.Count + Uris.Count == 0;

    /// <summary>Adds a CN rule.</summary>
    public PeerRules AllowCommonName(string glob) => Add(CommonNames, new GlobPattern(glob, null, ignoreCase: false));

    /// <summary>Adds an OU rule.</summary>
    public PeerRules AllowOrganizationalUnit(string glob) => Add(OrganizationalUnits, new GlobPattern(glob, null, ignoreCase: false));

    /// <summary>Adds a DNS SAN rule (case-insensitive).</summary>
    public PeerRules AllowDnsName(string glob) => Add(DnsNames, new GlobPattern(glob, '.', ignoreCase: true));

    /// <summary>Adds a URI SAN rule, e.g. <c>spiffe://example.org/**</c>.</summary>
    public PeerRules AllowUri(string glob) => Add(Uris, new GlobPattern(glob, '/', ignoreCase: false));

    /// <summary>Whether <paramref name="certificate"/> is allowed by these rules.</summary>
    public bool Allows(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (IsEmpty)
        {
            return true;
        }

        var names = SubjectAlternativeNames.From(certificate);
        return AnyMatch(CommonNames, DistinguishedNames.Values(certificate.SubjectName, DistinguishedNames.CommonNameOid))
            || AnyMatch(OrganizationalUnits, DistinguishedNames.Values(certificate.SubjectName, DistinguishedNames.OrganizationalUnitOid))
            || AnyMatch(DnsNames, names.DnsNames)
            || AnyMatch(Uris, names.Uris);
    }

    /// <summary>A one-line description of the rules for logs.</summary>
    public override string ToString() => IsEmpty
        ? "any certificate from the trust anchors"
        : string.Join(", ", CommonNames.Select(g => "cn=" + g)
            .Concat(OrganizationalUnits.Select(g => "ou=" + g))
            .Concat(DnsNames.Select(g => "dns=" + g))
            .Concat(Uris.Select(g => "uri=" + g)));

    private PeerRules Add(IList<GlobPattern> list, GlobPattern glob)
    {
        list.Add(glob);
        return this;
    }

    private static bool AnyMatch(IList<GlobPattern> globs, IEnumerable<string> values) =>
        globs.Count > 0 && values.Any(v => globs.Any(g => g.IsMatch(v)));
}
