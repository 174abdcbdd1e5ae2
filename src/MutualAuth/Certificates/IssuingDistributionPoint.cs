using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>
/// A CRL's issuingDistributionPoint extension (RFC 5280 §5.2.5): which certificates a partitioned CRL covers. Read so
/// that a CRL scoped elsewhere never clears a certificate (§6.3.3 (b)(2)); the forms CA/B BR 7.2.2.1 does not allow
/// (a name relative to the issuer, non-URI names, onlySomeReasons, indirectCRL) make the CRL unusable.
/// </summary>
/// <param name="Uris">The distributionPoint fullName URIs, as encoded (compared byte for byte with a certificate's).</param>
/// <param name="HasUnsupportedForm">A nameRelativeToCRLIssuer, a non-URI name, onlySomeReasons or indirectCRL.</param>
/// <param name="OnlyUserCertificates">onlyContainsUserCerts.</param>
/// <param name="OnlyCaCertificates">onlyContainsCACerts.</param>
/// <param name="OnlyAttributeCertificates">onlyContainsAttributeCerts.</param>
internal sealed record IssuingDistributionPoint(
    IReadOnlyList<byte[]> Uris, bool HasUnsupportedForm, bool OnlyUserCertificates, bool OnlyCaCertificates, bool OnlyAttributeCertificates)
{
    /// <summary>The extension's OID.</summary>
    public const string Oid = "2.5.29.28";

    private const string CrlDistributionPointsOid = "2.5.29.31";

    /// <summary>Reads the extension value; throws <see cref="AsnContentException"/> or <see cref="CryptographicException"/> when malformed.</summary>
    /// <param name="value">The extension's DER value.</param>
    public static IssuingDistributionPoint Parse(byte[] value)
    {
        var outer = new AsnReader(value, AsnEncodingRules.DER);
        var sequence = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var uris = new List<byte[]>();
        var unsupported = false;
        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(Context(0)))
        {
            var name = sequence.ReadSequence(Context(0, constructed: true));
            unsupported |= !ReadName(name, uris);
            name.ThrowIfNotEmpty();
        }

        var onlyUser = Flag(sequence, 1);
        var onlyCa = Flag(sequence, 2);
        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(Context(3)))
        {
            sequence.ReadBitString(out _, Context(3));
            unsupported = true;
        }

        unsupported |= Flag(sequence, 4);
        var onlyAttribute = Flag(sequence, 5);
        sequence.ThrowIfNotEmpty();
        return new IssuingDistributionPoint(uris, unsupported, onlyUser, onlyCa, onlyAttribute);
    }

    /// <summary>Why this CRL does not cover <paramref name="certificate"/>, or <see langword="null"/> when it does (RFC 5280 §6.3.3 (b)(2)).</summary>
    /// <param name="certificate">The certificate being checked.</param>
    public string? Excludes(X509Certificate2 certificate)
    {
        var isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault()?.CertificateAuthority == true;
        if (OnlyAttributeCertificates)
        {
            return "covers attribute certificates only";
        }

        if (OnlyUserCertificates && isCa)
        {
            return "covers end-entity certificates only";
        }

        if (OnlyCaCertificates && !isCa)
        {
            return "covers CA certificates only";
        }

        // A partition named by URI covers a certificate one of whose distribution points names it with the same bytes
        // and only URIs (CA/B BR 7.1.2.11.2, 7.2.2.1).
        return Uris.Count == 0 || CertificateDistributionPoints(certificate).Any(point => point.Exists(u => Uris.Any(v => v.AsSpan().SequenceEqual(u))))
            ? null
            : "is a partition the certificate's cRLDistributionPoints do not name";
    }

    /// <summary>The URI-only fullNames of a certificate's cRLDistributionPoints; points with other names, relative names or a cRLIssuer are left out.</summary>
    private static List<List<byte[]>> CertificateDistributionPoints(X509Certificate2 certificate)
    {
        var points = new List<List<byte[]>>();
        if (certificate.Extensions[CrlDistributionPointsOid] is not { } extension)
        {
            return points;
        }

        try
        {
            var outer = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            var sequence = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            while (sequence.HasData)
            {
                var point = sequence.ReadSequence();
                if (!point.HasData || !point.PeekTag().HasSameClassAndValue(Context(0)))
                {
                    continue;
                }

                var uris = new List<byte[]>();
                var name = point.ReadSequence(Context(0, constructed: true));
                var usable = ReadName(name, uris) && !name.HasData;
                // A reasons field only narrows the point; a cRLIssuer makes it an indirect CRL's, which is not used.
                if (point.HasData && point.PeekTag().HasSameClassAndValue(Context(1)))
                {
                    point.ReadEncodedValue();
                }

                if (usable && !point.HasData)
                {
                    points.Add(uris);
                }
            }
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            // A malformed extension names no partition.
            return [];
        }

        return points;
    }

    /// <summary>Reads a DistributionPointName; true when it is a fullName of URIs only (each added to <paramref name="uris"/>).</summary>
    private static bool ReadName(AsnReader name, List<byte[]> uris)
    {
        if (!name.PeekTag().HasSameClassAndValue(Context(0)))
        {
            name.ReadEncodedValue();
            return false;
        }

        var onlyUris = true;
        var names = name.ReadSequence(Context(0, constructed: true));
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 6 && !tag.IsConstructed)
            {
                uris.Add(names.ReadOctetString(Context(6)));
            }
            else
            {
                names.ReadEncodedValue();
                onlyUris = false;
            }
        }

        return onlyUris && uris.Count > 0;
    }

    private static bool Flag(AsnReader reader, int tag) =>
        reader.HasData && reader.PeekTag().HasSameClassAndValue(Context(tag)) && reader.ReadBoolean(Context(tag));

    private static Asn1Tag Context(int value, bool constructed = false) => new(TagClass.ContextSpecific, value, constructed);
}
