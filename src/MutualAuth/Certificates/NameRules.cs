using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>
/// Name checks that <see cref="X509Chain"/> leaves out: SANs must be well-formed for their type (RFC 5280 §4.2.1.6,
/// preferred name syntax; no '_', no empty label, a wildcard only as a whole left-most label over at least two
/// labels and not directly over a public suffix), a name constraints extension must constrain something
/// (§4.2.1.10), a wildcard SAN must not be able to name an excluded subtree, and, when asked (web PKI), the subject
/// CN must be a copy of one SAN (CA/B BR 7.1.4.3).
/// </summary>
/// <remarks>
/// A wildcard directly over a public suffix is refused: over a single label (<c>*.com</c>) by syntax, over a
/// multi-label suffix (<c>*.co.uk</c>) by the ICANN section of the Public Suffix List (<see cref="PublicSuffixList"/>).
/// </remarks>
internal static class NameRules
{
    private const string NameConstraintsOid = "2.5.29.30";
    private const string CommonNameOid = "2.5.4.3";

    /// <summary>Checks the leaf's SANs for syntax.</summary>
    public static (ChainFailureReason Reason, string Detail)? CheckLeafNames(CertificateView leaf, CertificateRole role)
    {
        var names = leaf.Names;
        foreach (var dns in names.DnsNames)
        {
            if (!IsHostName(dns))
            {
                return (ChainFailureReason.InvalidName, $"{role} has DNS name '{dns}', which is not a valid host name or wildcard (letters, digits and '-' only; a wildcard as the whole left-most label over at least two labels).");
            }

            if (IsWildcardOverPublicSuffix(dns))
            {
                return (ChainFailureReason.InvalidName, $"{role} has DNS name '{dns}', a wildcard directly over the public suffix '{dns[2..]}' (Public Suffix List, ICANN section; CA/B BR 3.2.2.6).");
            }
        }

        foreach (var ip in names.IpAddresses)
        {
            // An iPAddress SAN is 4 or 16 octets; anything else (a CIDR range, say) is formatted as hex and refused here.
            if (!ip.Contains('.', StringComparison.Ordinal) && !ip.Contains(':', StringComparison.Ordinal))
            {
                return (ChainFailureReason.InvalidName, $"{role} has an IP address SAN of the wrong length ({ip}); an address is 4 or 16 octets.");
            }
        }

        foreach (var email in names.EmailAddresses)
        {
            if (!IsMailbox(email))
            {
                return (ChainFailureReason.InvalidName, $"{role} has e-mail name '{email}', which is not a valid mailbox (local@domain).");
            }
        }

        return null;
    }

    /// <summary>Checks that a name constraints extension has a non-empty permitted or excluded subtree list.</summary>
    public static (ChainFailureReason Reason, string Detail)? CheckConstraintsExtension(CertificateView certificate, CertificateRole role)
    {
        if (certificate.Find(NameConstraintsOid) is not { } extension)
        {
            return null;
        }

        var (permitted, excluded, ok) = Read(extension.Value);
        if (!ok)
        {
            return (ChainFailureReason.InvalidExtension, $"{role} has a malformed name constraints extension.");
        }

        return permitted == 0 && excluded.Count == 0
            ? (ChainFailureReason.InvalidExtension, $"{role} has a name constraints extension with neither permitted nor excluded subtrees (RFC 5280 §4.2.1.10).")
            : null;
    }

    /// <summary>Checks that no wildcard DNS SAN of the leaf can name a DNS subtree an issuer excludes.</summary>
    public static (ChainFailureReason Reason, string Detail)? CheckWildcardsAgainstExclusions(IReadOnlyList<CertificateView> path)
    {
        var wildcards = path[0].Names.DnsNames
            .Where(n => n.StartsWith("*.", StringComparison.Ordinal))
            .Select(n => n[2..].ToLowerInvariant())
            .ToList();
        if (wildcards.Count == 0)
        {
            return null;
        }

        for (var i = 1; i < path.Count; i++)
        {
            if (path[i].Find(NameConstraintsOid) is not { } extension)
            {
                continue;
            }

            foreach (var excluded in Read(extension.Value).Excluded.Where(e => e.Length > 0))
            {
                var subtree = excluded.TrimStart('.').ToLowerInvariant();
                foreach (var parent in wildcards)
                {
                    // *.parent names exactly one label over parent: it reaches the subtree when the subtree is
                    // that one label over parent, or contains parent itself.
                    var dot = subtree.IndexOf('.', StringComparison.Ordinal);
                    var oneLabelOver = dot > 0 && subtree[(dot + 1)..] == parent;
                    var covers = parent == subtree || parent.EndsWith("." + subtree, StringComparison.Ordinal);
                    if (oneLabelOver || covers)
                    {
                        return (ChainFailureReason.NameConstraintViolation, $"The certificate's wildcard '*.{parent}' can name '{subtree}', which '{path[i].SubjectText}' excludes.");
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Whether the subject CN, when present, is a character-for-character copy of one DNS SAN or the RFC 5952 / dotted-decimal text of one IP SAN.</summary>
    public static bool CommonNameIsASan(X509Certificate2 leaf, out string? commonName)
    {
        var names = SubjectAlternativeNames.From(leaf);
        var cns = leaf.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(r => r.GetSingleElementType().Value == CommonNameOid)
            .Select(r => r.GetSingleElementValue() ?? "")
            .ToList();
        commonName = cns.FirstOrDefault();
        if (cns.Count == 0)
        {
            return true;
        }

        var cn = cns[0];
        return cns.Count == 1 && (names.DnsNames.Contains(cn, StringComparer.Ordinal)
            || names.IpAddresses.Any(ip => IPAddress.TryParse(ip, out var address) && Canonical(address) == cn));
    }

    /// <summary>A host name in preferred name syntax, optionally with a whole left-most wildcard label over at least two labels.</summary>
    public static bool IsHostName(string name)
    {
        if (name.Length is 0 or > 253)
        {
            return false;
        }

        var labels = name.Split('.');
        var first = labels[0] == "*" ? 1 : 0;
        if (labels.Length - first < (first == 1 ? 2 : 1))
        {
            return false;
        }

        return labels.Skip(first).All(label => label.Length is > 0 and <= 63
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && label[0] != '-' && label[^1] != '-');
    }

    /// <summary>Whether <paramref name="name"/> is a wildcard whose remaining labels are a public suffix (<c>*.co.uk</c>, <c>*.com</c>).</summary>
    public static bool IsWildcardOverPublicSuffix(string name) =>
        name.StartsWith("*.", StringComparison.Ordinal) && PublicSuffixList.Icann.IsPublicSuffix(name[2..]);

    /// <summary>A plain mailbox: a dot-atom local part, '@', and a host name.</summary>
    public static bool IsMailbox(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != address.LastIndexOf('@'))
        {
            return false;
        }

        var local = address[..at];
        var domain = address[(at + 1)..];
        const string specials = "!#$%&'*+-/=?^_`{|}~";
        return local.Split('.').All(atom => atom.Length > 0 && atom.All(c => char.IsAsciiLetterOrDigit(c) || specials.Contains(c, StringComparison.Ordinal)))
            && !domain.StartsWith('*') && IsHostName(domain);
    }

    private static string Canonical(IPAddress address) => address.ToString().ToLowerInvariant();

    private static (int Permitted, List<string> Excluded, bool Ok) Read(ReadOnlyMemory<byte> der)
    {
        var permitted = 0;
        var excluded = new List<string>();
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            var constraints = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var permittedTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            var excludedTag = new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true);
            if (constraints.HasData && constraints.PeekTag().HasSameClassAndValue(permittedTag))
            {
                var subtrees = constraints.ReadSequence(permittedTag);
                while (subtrees.HasData)
                {
                    subtrees.ReadSequence();
                    permitted++;
                }
            }

            if (constraints.HasData && constraints.PeekTag().HasSameClassAndValue(excludedTag))
            {
                var subtrees = constraints.ReadSequence(excludedTag);
                while (subtrees.HasData)
                {
                    var subtree = subtrees.ReadSequence();
                    var tag = subtree.PeekTag();
                    if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 2)
                    {
                        excluded.Add(subtree.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                    }
                    else
                    {
                        excluded.Add("");
                        subtree.ReadEncodedValue();
                    }
                }
            }

            constraints.ThrowIfNotEmpty();
            return (permitted, excluded, true);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return (0, [], false);
        }
    }
}
