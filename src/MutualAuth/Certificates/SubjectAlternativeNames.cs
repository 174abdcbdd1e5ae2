using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>The subject alternative names of a certificate, by type (RFC 5280 §4.2.1.6).</summary>
public sealed record SubjectAlternativeNames
{
    /// <summary>dNSName entries.</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = [];

    /// <summary>iPAddress entries, formatted.</summary>
    public IReadOnlyList<string> IpAddresses { get; init; } = [];

    /// <summary>uniformResourceIdentifier entries (e.g. SPIFFE IDs).</summary>
    public IReadOnlyList<string> Uris { get; init; } = [];

    /// <summary>rfc822Name entries.</summary>
    public IReadOnlyList<string> EmailAddresses { get; init; } = [];

    /// <summary>Every name with its type, OpenSSL style: <c>DNS:…</c>, <c>IP:…</c>, <c>URI:…</c>, <c>email:…</c>.</summary>
    public IReadOnlyList<string> ToTypedStrings() =>
        [.. DnsNames.Select(n => "DNS:" + n), .. IpAddresses.Select(n => "IP:" + n), .. Uris.Select(n => "URI:" + n), .. EmailAddresses.Select(n => "email:" + n)];

    /// <summary>Whether there is no name at all.</summary>
    public bool IsEmpty => DnsNames.Count + IpAddresses.Count + Uris.Count + EmailAddresses.Count == 0;

    /// <summary>Reads the SAN extension of <paramref name="certificate"/>; an absent extension gives an empty set.</summary>
    /// <exception cref="CryptographicException">The extension is malformed.</exception>
    public static SubjectAlternativeNames From(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return FromExtension(certificate.Extensions[Oids.SubjectAltName]);
    }

    /// <summary>Reads a subjectAltName extension (e.g. one requested in a PKCS#10 request); <see langword="null"/> gives an empty set.</summary>
    /// <exception cref="CryptographicException">The extension is malformed.</exception>
    public static SubjectAlternativeNames FromExtension(X509Extension? extension) => extension is null ? new SubjectAlternativeNames() : FromDer(extension.RawData);

    /// <summary>Reads a subjectAltName extension's value (DER); <see langword="null"/> gives an empty set.</summary>
    /// <exception cref="CryptographicException">The value is malformed.</exception>
    internal static SubjectAlternativeNames FromDer(ReadOnlyMemory<byte>? der)
    {
        if (der is not { } value)
        {
            return new SubjectAlternativeNames();
        }

        List<string> dns = [], ips = [], uris = [], emails = [];
        try
        {
            var reader = new AsnReader(value, AsnEncodingRules.DER);
            var names = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag.TagClass != TagClass.ContextSpecific)
                {
                    throw new CryptographicException("SAN entry is not a GeneralName.");
                }

                switch (tag.TagValue)
                {
                    case 1:
                        emails.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                        break;
                    case 2:
                        dns.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                        break;
                    case 6:
                        uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                        break;
                    case 7:
                        var bytes = names.ReadOctetString(tag);
                        ips.Add(bytes.Length is 4 or 16 ? new IPAddress(bytes).ToString() : Convert.ToHexString(bytes));
                        break;
                    default:
                        names.ReadEncodedValue();
                        break;
                }
            }
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("Malformed subjectAltName extension.", e);
        }

        return new SubjectAlternativeNames { DnsNames = dns, IpAddresses = ips, Uris = uris, EmailAddresses = emails };
    }
}
