using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

// Each X509Certificate2 property goes through OpenSSL, and the fresh instances X509Chain hands out have nothing
// cached: reading a path's names, serials, keys and extensions that way cost about a quarter of the chain build.
// This reads the DER once in managed code; typed extension values are still decoded by .NET's own extension
// classes (the same decoders as before), each on first use.
/// <summary>
/// The fields of one certificate that the validator's rules read (RFC 5280 §4.1), decoded once from its DER: names,
/// serial, algorithms, public key and extensions.
/// </summary>
internal sealed class CertificateView
{
    private const string AuthorityKeyIdentifierOid = "2.5.29.35";
    private const string SubjectKeyIdentifierOid = "2.5.29.14";
    private const string KeyUsageOid = "2.5.29.15";
    private const string BasicConstraintsOid = "2.5.29.19";
    private const string ExtendedKeyUsageOid = "2.5.29.37";

    // Trust anchors and configured intermediates outlive a validation: decoded once per instance.
    private static readonly ConditionalWeakTable<X509Certificate2, CertificateView> LongLived = [];

    // X509KeyUsageExtension decodes through reflection over a flags enum, a third of the rules' time on a path; each
    // distinct short encoding (a handful exist in practice) is decoded once by it and remembered, up to a bound.
    private static readonly ConcurrentDictionary<ulong, X509KeyUsageFlags> KeyUsageEncodings = new();
    private const int MaxKeyUsageEncodings = 64;

    private readonly List<(string Oid, bool Critical, ReadOnlyMemory<byte> Value)> _extensions = [];
    private X509AuthorityKeyIdentifierExtension? _authorityKey;
    private X509SubjectKeyIdentifierExtension? _subjectKey;
    private X509BasicConstraintsExtension? _basicConstraints;
    private string[]? _purposes;
    private SubjectAlternativeNames? _names;
    private string? _subjectText;
    private string? _sha256;

    private CertificateView(X509Certificate2 certificate)
    {
        Certificate = certificate;
        RawData = certificate.RawDataMemory;
        try
        {
            var outer = new AsnReader(RawData, AsnEncodingRules.DER);
            var certificateSequence = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var tbs = certificateSequence.ReadSequence();
            SignatureAlgorithm = ReadAlgorithm(certificateSequence.ReadSequence()).Oid;

            var versionTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (tbs.PeekTag().HasSameClassAndValue(versionTag))
            {
                tbs.ReadEncodedValue();
            }

            SerialNumber = tbs.ReadIntegerBytes();
            tbs.ReadEncodedValue(); // signature (the TBS copy of signatureAlgorithm)
            Issuer = tbs.ReadEncodedValue();
            tbs.ReadEncodedValue(); // validity: X509Chain judges it
            Subject = tbs.ReadEncodedValue();
            var spki = tbs.ReadSequence();
            (KeyAlgorithm, KeyParameters) = ReadAlgorithm(spki.ReadSequence());
            PublicKey = spki.ReadBitString(out _);
            spki.ThrowIfNotEmpty();

            var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
            while (tbs.HasData)
            {
                if (!tbs.PeekTag().HasSameClassAndValue(extensionsTag))
                {
                    tbs.ReadEncodedValue(); // issuerUniqueID, subjectUniqueID
                    continue;
                }

                var wrapper = tbs.ReadSequence(extensionsTag);
                var extensions = wrapper.ReadSequence();
                wrapper.ThrowIfNotEmpty();
                while (extensions.HasData)
                {
                    var extension = extensions.ReadSequence();
                    var oid = extension.ReadObjectIdentifier();
                    var critical = extension.HasData && extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
                    if (!extension.TryReadPrimitiveOctetString(out var value))
                    {
                        throw new CryptographicException("An extension value is not a primitive OCTET STRING.");
                    }

                    extension.ThrowIfNotEmpty();
                    _extensions.Add((oid, critical, value));
                }
            }
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The certificate could not be decoded.", e);
        }
    }

    /// <summary>The certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The whole DER.</summary>
    public ReadOnlyMemory<byte> RawData { get; }

    /// <summary>The serial number's INTEGER content octets, as encoded.</summary>
    public ReadOnlyMemory<byte> SerialNumber { get; }

    /// <summary>The issuer Name, DER.</summary>
    public ReadOnlyMemory<byte> Issuer { get; }

    /// <summary>The subject Name, DER.</summary>
    public ReadOnlyMemory<byte> Subject { get; }

    /// <summary>The outer signatureAlgorithm OID.</summary>
    public string SignatureAlgorithm { get; } = "";

    /// <summary>The subjectPublicKeyInfo algorithm OID.</summary>
    public string KeyAlgorithm { get; } = "";

    /// <summary>The subjectPublicKeyInfo algorithm parameters (DER), when present.</summary>
    public ReadOnlyMemory<byte>? KeyParameters { get; }

    /// <summary>The subjectPublicKey BIT STRING content.</summary>
    public byte[] PublicKey { get; } = [];

    /// <summary>Whether subject and issuer are the same name (self-issued, RFC 5280 §3.2).</summary>
    public bool IsSelfIssued => Subject.Span.SequenceEqual(Issuer.Span);

    /// <summary>The subject as text (RFC 4514 order, as <see cref="X509Certificate.Subject"/>), formatted on first use.</summary>
    public string SubjectText => _subjectText ??= new X500DistinguishedName(Subject.Span).Name;

    /// <summary>The SHA-256 thumbprint in upper-case hex, as <see cref="X509Certificate.GetCertHashString(HashAlgorithmName)"/> gives it.</summary>
    public string Sha256Thumbprint => _sha256 ??= Convert.ToHexString(SHA256.HashData(RawData.Span));

    /// <summary>The authorityKeyIdentifier extension (the first one), or <see langword="null"/>.</summary>
    public X509AuthorityKeyIdentifierExtension? AuthorityKeyIdentifier =>
        _authorityKey ??= Find(AuthorityKeyIdentifierOid) is { } e ? new X509AuthorityKeyIdentifierExtension(e.Value.Span, e.Critical) : null;

    /// <summary>The subjectKeyIdentifier extension (the first one), or <see langword="null"/>.</summary>
    public X509SubjectKeyIdentifierExtension? SubjectKeyIdentifier =>
        _subjectKey ??= Find(SubjectKeyIdentifierOid) is { } e ? new X509SubjectKeyIdentifierExtension(Encoded(e), e.Critical) : null;

    /// <summary>The usages the keyUsage extension (the first one) asserts, or <see langword="null"/> without one.</summary>
    /// <exception cref="CryptographicException">The extension is malformed.</exception>
    public X509KeyUsageFlags? KeyUsages
    {
        get
        {
            if (Find(KeyUsageOid) is not { } extension)
            {
                return null;
            }

            var value = extension.Value.Span;
            if (value.Length > 7)
            {
                return new X509KeyUsageExtension(Encoded(extension), extension.Critical).KeyUsages;
            }

            // The length and up to 7 octets, packed: a key no two encodings share.
            var key = (ulong)value.Length << 56;
            for (var i = 0; i < value.Length; i++)
            {
                key |= (ulong)value[i] << (8 * i);
            }

            if (!KeyUsageEncodings.TryGetValue(key, out var usages))
            {
                usages = new X509KeyUsageExtension(Encoded(extension), extension.Critical).KeyUsages;
                if (KeyUsageEncodings.Count < MaxKeyUsageEncodings)
                {
                    KeyUsageEncodings.TryAdd(key, usages);
                }
            }

            return usages;
        }
    }

    /// <summary>The basicConstraints extension (the first one), or <see langword="null"/>.</summary>
    public X509BasicConstraintsExtension? BasicConstraints =>
        _basicConstraints ??= Find(BasicConstraintsOid) is { } e ? new X509BasicConstraintsExtension(Encoded(e), e.Critical) : null;

    /// <summary>The purposes (OIDs) of the extKeyUsage extension (the first one), or <see langword="null"/> without one.</summary>
    /// <exception cref="CryptographicException">The extension is malformed.</exception>
    public IReadOnlyList<string>? ExtendedKeyUsages => Find(ExtendedKeyUsageOid) is { } e ? _purposes ??= ReadPurposes(e.Value) : null;

    /// <summary>The subject alternative names (empty without the extension).</summary>
    /// <exception cref="CryptographicException">The extension is malformed.</exception>
    public SubjectAlternativeNames Names => _names ??= SubjectAlternativeNames.FromDer(Find(Oids.SubjectAltName)?.Value);

    /// <summary>Decodes a certificate for one validation.</summary>
    /// <exception cref="CryptographicException">The certificate is not well-formed DER.</exception>
    public static CertificateView Of(X509Certificate2 certificate) => new(certificate);

    /// <summary>Decodes a certificate that outlives one validation (a trust anchor, a configured intermediate) once per instance.</summary>
    /// <exception cref="CryptographicException">The certificate is not well-formed DER.</exception>
    public static CertificateView Cached(X509Certificate2 certificate) => LongLived.GetValue(certificate, c => new CertificateView(c));

    /// <summary>The first extension with <paramref name="oid"/>, or <see langword="null"/>.</summary>
    public (bool Critical, ReadOnlyMemory<byte> Value)? Find(string oid)
    {
        foreach (var extension in _extensions)
        {
            if (extension.Oid == oid)
            {
                return (extension.Critical, extension.Value);
            }
        }

        return null;
    }

    private static AsnEncodedData Encoded((bool Critical, ReadOnlyMemory<byte> Value) extension) => new(extension.Value.Span);

    // As X509EnhancedKeyUsageExtension reads it (BER, a SEQUENCE OF OBJECT IDENTIFIER), without an OidCollection per read.
    private static string[] ReadPurposes(ReadOnlyMemory<byte> value)
    {
        try
        {
            var reader = new AsnReader(value, AsnEncodingRules.BER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var purposes = new List<string>();
            while (sequence.HasData)
            {
                purposes.Add(sequence.ReadObjectIdentifier());
            }

            return [.. purposes];
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("Malformed extKeyUsage extension.", e);
        }
    }

    private static (string Oid, ReadOnlyMemory<byte>? Parameters) ReadAlgorithm(AsnReader algorithm)
    {
        var oid = algorithm.ReadObjectIdentifier();
        ReadOnlyMemory<byte>? parameters = algorithm.HasData ? algorithm.ReadEncodedValue() : null;
        algorithm.ThrowIfNotEmpty();
        return (oid, parameters);
    }
}
