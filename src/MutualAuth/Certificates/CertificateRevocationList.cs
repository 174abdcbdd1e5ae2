using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MutualAuth.Certificates;

/// <summary>
/// A parsed X.509 v2 CRL (RFC 5280 §5): issuer, thisUpdate/nextUpdate, CRL number and the revoked
/// serials. Parsing does not trust the content; call <see cref="IsSignedBy(X509Certificate2)"/> before using it.
/// </summary>
/// <remarks>
/// Indirect CRLs (entries with a certificateIssuer extension), delta CRLs and partitioned CRLs
/// (critical issuingDistributionPoint) are refused, as is any other unknown critical extension:
/// a CRL we cannot fully understand is not used (fail closed).
/// </remarks>
public sealed class CertificateRevocationList
{
    /// <summary>The largest CRL accepted, in bytes (DER).</summary>
    public const int MaxSize = 16 * 1024 * 1024;

    private const string ReasonCodeOid = "2.5.29.21";
    private const string AuthorityKeyIdentifierOid = "2.5.29.35";

    private readonly Dictionary<string, RevokedCertificate> _entries;
    private readonly ReadOnlyMemory<byte> _tbs;
    private readonly string _signatureAlgorithm;
    private readonly byte[] _signature;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _verifiedIssuers = new(StringComparer.Ordinal);

    private CertificateRevocationList(byte[] rawData, ReadOnlyMemory<byte> tbs, string signatureAlgorithm, byte[] signature, X500DistinguishedName issuer,
        DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, BigInteger? crlNumber, Dictionary<string, RevokedCertificate> entries)
    {
        RawData = rawData;
        _tbs = tbs;
        _signatureAlgorithm = signatureAlgorithm;
        _signature = signature;
        Issuer = issuer;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        CrlNumber = crlNumber;
        _entries = entries;
    }

    /// <summary>The DER encoding.</summary>
    public byte[] RawData { get; }

    /// <summary>The CRL issuer's distinguished name.</summary>
    public X500DistinguishedName Issuer { get; }

    /// <summary>When the CRL was issued.</summary>
    public DateTimeOffset ThisUpdate { get; }

    /// <summary>When the next CRL is due; after that this one is stale.</summary>
    public DateTimeOffset? NextUpdate { get; }

    /// <summary>The cRLNumber extension (§5.2.3), when present.</summary>
    public BigInteger? CrlNumber { get; }

    /// <summary>Whether the cRLNumber extension is marked critical, which RFC 5280 §5.2.3 forbids.</summary>
    internal bool CrlNumberCritical { get; private init; }

    /// <summary>The issuingDistributionPoint extension, when the CRL is a partition (RFC 5280 §5.2.5).</summary>
    internal IssuingDistributionPoint? DistributionPoint { get; private init; }

    /// <summary>The OID of the algorithm the CRL is signed with.</summary>
    internal string SignatureAlgorithm => _signatureAlgorithm;

    /// <summary>The revoked entries.</summary>
    public IReadOnlyCollection<RevokedCertificate> Entries => _entries.Values;

    /// <summary>Parses a CRL in DER or PEM (<c>-----BEGIN X509 CRL-----</c>) form.</summary>
    /// <exception cref="CryptographicException">The data is not a CRL we accept; the message says why.</exception>
    public static CertificateRevocationList Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxSize)
        {
            throw new CryptographicException($"CRL is larger than {MaxSize} bytes.");
        }

        var der = data.Length > 0 && data[0] == '-' ? FromPem(data) : data.ToArray();
        try
        {
            return ParseDer(der);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("CRL is not valid DER: " + e.Message, e);
        }
    }

    /// <summary>Finds the entry for a serial number (any hex form; see <see cref="SerialNumbers.Normalize"/>).</summary>
    /// <returns>The entry, or <see langword="null"/> when the serial is not revoked by this CRL.</returns>
    public RevokedCertificate? Find(string serialNumber) =>
        _entries.GetValueOrDefault(SerialNumbers.Normalize(serialNumber));

    /// <summary>
    /// Whether <paramref name="issuer"/> issued this CRL: same name, cRLSign key usage (when the issuer
    /// has a keyUsage extension) and a valid signature by its key.
    /// </summary>
    /// <remarks>The answer for each issuer certificate is remembered: a CRL is immutable, and the gateway asks on every handshake.</remarks>
    public bool IsSignedBy(X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!issuer.SubjectName.RawData.AsSpan().SequenceEqual(Issuer.RawData))
        {
            return false;
        }

        return _verifiedIssuers.GetOrAdd(Convert.ToHexString(SHA256.HashData(issuer.RawDataMemory.Span)), _ => Verify(issuer, issuer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault()?.KeyUsages));
    }

    /// <summary>As <see cref="IsSignedBy(X509Certificate2)"/>, for a certificate the validator has already decoded.</summary>
    internal bool IsSignedBy(CertificateView issuer) =>
        issuer.Subject.Span.SequenceEqual(Issuer.RawData)
        && _verifiedIssuers.GetOrAdd(issuer.Sha256Thumbprint, _ => Verify(issuer.Certificate, issuer.KeyUsages));

    private bool Verify(X509Certificate2 issuer, X509KeyUsageFlags? keyUsages)
    {
        if ((keyUsages & X509KeyUsageFlags.CrlSign) == X509KeyUsageFlags.None)
        {
            return false;
        }

        return SignatureAlgorithms.Verify(issuer, _signatureAlgorithm, _tbs.Span, _signature);
    }

    private static byte[] FromPem(ReadOnlySpan<byte> pem)
    {
        var text = Encoding.ASCII.GetString(pem);
        var fields = PemEncoding.Find(text);
        if (!text[fields.Label].Equals("X509 CRL", StringComparison.Ordinal))
        {
            throw new CryptographicException($"Expected a PEM 'X509 CRL' block, found '{text[fields.Label]}'.");
        }

        return Convert.FromBase64String(text[fields.Base64Data]);
    }

    private static CertificateRevocationList ParseDer(byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var certificateList = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var tbs = certificateList.PeekEncodedValue();
        var tbsReader = certificateList.ReadSequence();
        var signatureAlgorithm = ReadAlgorithm(certificateList);
        var signature = certificateList.ReadBitString(out var unused);
        if (unused != 0)
        {
            throw new CryptographicException("CRL signature has unused bits.");
        }

        certificateList.ThrowIfNotEmpty();

        if (tbsReader.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            if (!tbsReader.TryReadInt32(out var version) || version != 1)
            {
                throw new CryptographicException("Only v2 CRLs are supported.");
            }
        }

        var innerAlgorithm = ReadAlgorithm(tbsReader);
        if (innerAlgorithm != signatureAlgorithm)
        {
            throw new CryptographicException("CRL signature algorithms in tbsCertList and CertificateList differ.");
        }

        var issuer = new X500DistinguishedName(tbsReader.ReadEncodedValue().Span);
        var thisUpdate = ReadTime(tbsReader);
        DateTimeOffset? nextUpdate = IsTime(tbsReader) ? ReadTime(tbsReader) : null;
        var entries = new Dictionary<string, RevokedCertificate>(StringComparer.Ordinal);
        if (tbsReader.HasData && tbsReader.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var list = tbsReader.ReadSequence();
            while (list.HasData)
            {
                var entry = ReadEntry(list.ReadSequence());
                if (!entries.TryAdd(entry.SerialNumber, entry))
                {
                    throw new CryptographicException($"CRL lists serial number {entry.SerialNumber} twice.");
                }
            }
        }

        BigInteger? crlNumber = null;
        var crlNumberCritical = false;
        IssuingDistributionPoint? distributionPoint = null;
        if (tbsReader.HasData)
        {
            var explicitExtensions = tbsReader.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            (crlNumber, crlNumberCritical, distributionPoint) = ReadCrlExtensions(explicitExtensions.ReadSequence());
            explicitExtensions.ThrowIfNotEmpty();
        }

        tbsReader.ThrowIfNotEmpty();
        return new CertificateRevocationList(der, tbs, signatureAlgorithm, signature, issuer, thisUpdate, nextUpdate, crlNumber, entries)
        {
            CrlNumberCritical = crlNumberCritical,
            DistributionPoint = distributionPoint,
        };
    }

    private static RevokedCertificate ReadEntry(AsnReader entry)
    {
        var serial = entry.ReadIntegerBytes().ToArray();
        var revokedAt = ReadTime(entry);
        X509RevocationReason? reason = null;
        if (entry.HasData)
        {
            var extensions = entry.ReadSequence();
            while (extensions.HasData)
            {
                var (oid, critical, value) = ReadExtension(extensions.ReadSequence());
                if (oid == ReasonCodeOid)
                {
                    reason = (X509RevocationReason)new AsnReader(value, AsnEncodingRules.DER).ReadEnumeratedValue<X509RevocationReason>();
                }
                else if (critical)
                {
                    throw new CryptographicException($"CRL entry has an unsupported critical extension {oid} (indirect CRLs are not supported).");
                }
            }
        }

        entry.ThrowIfNotEmpty();
        return new RevokedCertificate(SerialNumbers.Normalize(Convert.ToHexString(serial)), revokedAt, reason);
    }

    private static (BigInteger? Number, bool Critical, IssuingDistributionPoint? DistributionPoint) ReadCrlExtensions(AsnReader extensions)
    {
        BigInteger? crlNumber = null;
        var numberCritical = false;
        IssuingDistributionPoint? distributionPoint = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (extensions.HasData)
        {
            var (oid, critical, value) = ReadExtension(extensions.ReadSequence());
            if (!seen.Add(oid))
            {
                throw new CryptographicException($"CRL has extension {oid} twice.");
            }

            if (oid == Oids.CrlNumber)
            {
                crlNumber = new AsnReader(value, AsnEncodingRules.DER).ReadInteger();
                numberCritical = critical;
            }
            else if (oid == IssuingDistributionPoint.Oid)
            {
                distributionPoint = IssuingDistributionPoint.Parse(value);
            }
            else if (critical && oid != AuthorityKeyIdentifierOid)
            {
                throw new CryptographicException($"CRL has an unsupported critical extension {oid} (delta CRLs are not supported).");
            }
        }

        return (crlNumber, numberCritical, distributionPoint);
    }

    private static (string Oid, bool Critical, byte[] Value) ReadExtension(AsnReader extension)
    {
        var oid = extension.ReadObjectIdentifier();
        var critical = extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
        var value = extension.ReadOctetString();
        extension.ThrowIfNotEmpty();
        return (oid, critical, value);
    }

    private static string ReadAlgorithm(AsnReader reader)
    {
        var algorithm = reader.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        if (algorithm.HasData)
        {
            algorithm.ReadNull();
        }

        algorithm.ThrowIfNotEmpty();
        return oid;
    }

    private static bool IsTime(AsnReader reader) =>
        reader.HasData && (reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || reader.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime));

    /// <summary>A CRL time: UTCTime through 2049, GeneralizedTime from 2050 on (RFC 5280 §5.1.2.4–5.1.2.6).</summary>
    private static DateTimeOffset ReadTime(AsnReader reader)
    {
        if (reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime))
        {
            return reader.ReadUtcTime();
        }

        var time = reader.ReadGeneralizedTime();
        return time.Year >= 2050 ? time : throw new CryptographicException($"CRL encodes {time:u} as GeneralizedTime; dates before 2050 must be UTCTime (RFC 5280 §5.1.2.4).");
    }
}
