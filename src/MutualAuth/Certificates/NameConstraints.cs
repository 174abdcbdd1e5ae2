using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>
/// Permitted subtrees of the intermediate CA (RFC 5280 §4.2.1.10): DNS names with their subdomains, URI hosts (a SPIFFE
/// trust domain) and IP ranges; names outside them are invalid in any certificate it issues.
/// </summary>
public sealed record NameConstraints
{
    /// <summary>Permitted DNS names, e.g. <c>example.org</c>.</summary>
    public IReadOnlyList<string> PermittedDnsNames { get; init; } = [];

    /// <summary>Permitted URI hosts, e.g. <c>example.org</c> for <c>spiffe://example.org/…</c>.</summary>
    public IReadOnlyList<string> PermittedUriHosts { get; init; } = [];

    /// <summary>Permitted IP ranges.</summary>
    public IReadOnlyList<(IPAddress Address, int PrefixLength)> PermittedIpRanges { get; init; } = [];

    /// <summary>Whether nothing is constrained.</summary>
    public bool IsEmpty => PermittedDnsNames.Count + PermittedUriHosts.Count + PermittedIpRanges.Count == 0;

    /// <summary>The critical nameConstraints extension.</summary>
    public X509Extension ToExtension()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            foreach (var dns in PermittedDnsNames)
            {
                using (writer.PushSequence())
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, dns, new Asn1Tag(TagClass.ContextSpecific, 2));
                }
            }

            foreach (var host in PermittedUriHosts)
            {
                using (writer.PushSequence())
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, host, new Asn1Tag(TagClass.ContextSpecific, 6));
                }
            }

            foreach (var (address, prefix) in PermittedIpRanges)
            {
                using (writer.PushSequence())
                {
                    var bytes = address.GetAddressBytes();
                    writer.WriteOctetString([.. bytes, .. Mask(bytes.Length, prefix)], new Asn1Tag(TagClass.ContextSpecific, 7));
                }
            }
        }

        return new X509Extension("2.5.29.30", writer.Encode(), critical: true);
    }

    /// <summary>Parses <c>ADDRESS/PREFIX</c>.</summary>
    /// <exception cref="FormatException">Not a CIDR range.</exception>
    public static (IPAddress Address, int PrefixLength) ParseRange(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        return parts.Length == 2 && IPAddress.TryParse(parts[0], out var address) && int.TryParse(parts[1], out var prefix)
            && prefix >= 0 && prefix <= address.GetAddressBytes().Length * 8
            ? (address, prefix)
            : throw new FormatException($"'{text}' is not an IP range such as 10.0.0.0/8.");
    }

    private static byte[] Mask(int length, int prefix)
    {
        var mask = new byte[length];
        for (var i = 0; i < prefix; i++)
        {
            mask[i / 8] |= (byte)(0x80 >> (i % 8));
        }

        return mask;
    }
}
