using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;

namespace MutualAuth.Tests.Certificates;

/// <summary>
/// Chains built with <see cref="CertificateRequest"/> at test time, field by field, for the validator's edge cases
/// (our CA refuses to issue most of them). ECDSA P-256 keys, SHA-256 signatures.
/// </summary>
internal static class RawPki
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A certificate with its key.</summary>
    internal sealed record Issued(X509Certificate2 Certificate, ECDsa Key);

    /// <summary>A self-signed CA.</summary>
    public static Issued Root(string name = "CN=Raw Root", Action<CertificateRequest>? extend = null, ECDsa? key = null)
    {
        key ??= ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        AddCaExtensions(request);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(SubjectKeyIdentifier(key)));
        extend?.Invoke(request);
        return new Issued(request.CreateSelfSigned(Now.AddDays(-30), Now.AddDays(365)), key);
    }

    /// <summary>An intermediate CA issued by <paramref name="issuer"/>.</summary>
    public static Issued Intermediate(Issued issuer, string name, Action<CertificateRequest>? extend = null, ECDsa? key = null)
    {
        key ??= ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        AddCaExtensions(request);
        extend?.Invoke(request);
        return Sign(request, issuer, key);
    }

    /// <summary>A TLS server leaf (serverAuth, digitalSignature) with the given DNS SANs, issued by <paramref name="issuer"/>.</summary>
    public static Issued Leaf(Issued issuer, string subject = "CN=leaf", IEnumerable<string>? dnsNames = null, Action<CertificateRequest>? extend = null, bool addSan = true)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(Oids.ServerAuth), new Oid(Oids.ClientAuth)], false));
        if (addSan)
        {
            // Written by hand: SubjectAlternativeNameBuilder refuses the malformed names some tests need.
            request.CertificateExtensions.Add(Extension(Oids.SubjectAltName, false, w =>
            {
                using (w.PushSequence())
                {
                    foreach (var name in dnsNames ?? ["leaf.example.com"])
                    {
                        w.WriteCharacterString(UniversalTagNumber.IA5String, name, new Asn1Tag(TagClass.ContextSpecific, 2));
                    }
                }
            }));
        }

        extend?.Invoke(request);
        return Sign(request, issuer, key);
    }

    /// <summary>A server policy trusting <paramref name="anchors"/>, without revocation.</summary>
    public static TrustPolicy ServerPolicy(params Issued[] anchors) => new()
    {
        TrustAnchors = [.. anchors.Select(a => a.Certificate)],
        Purpose = CertificatePurpose.ServerAuthentication,
        Revocation = RevocationMode.None,
    };

    /// <summary>Validates <paramref name="leaf"/> at <see cref="Now"/>.</summary>
    public static ChainValidationResult Validate(Issued leaf, TrustPolicy policy, string? host = null, params Issued[] intermediates) =>
        ChainValidator.ValidateAt(leaf.Certificate, intermediates.Select(i => i.Certificate), policy, host, Now);

    /// <summary>An extension from raw DER.</summary>
    public static X509Extension Extension(string oid, bool critical, Action<AsnWriter> write)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        write(writer);
        return new X509Extension(oid, writer.Encode(), critical);
    }

    /// <summary>
    /// A CRL signed by <paramref name="signer"/>'s key under <paramref name="issuerName"/> (default: the signer's subject),
    /// with a cRLNumber unless <paramref name="crlNumber"/> is null.
    /// </summary>
    public static byte[] Crl(Issued signer, IEnumerable<byte[]> revokedSerials, BigInteger? crlNumber, bool crlNumberCritical = false,
        DateTimeOffset? thisUpdate = null, DateTimeOffset? nextUpdate = null, X500DistinguishedName? issuerName = null, X509Extension? extension = null, bool generalizedTimes = false)
    {
        var tbs = new AsnWriter(AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            tbs.WriteInteger(1);
            WriteAlgorithm(tbs);
            tbs.WriteEncodedValue((issuerName ?? signer.Certificate.SubjectName).RawData);
            if (generalizedTimes)
            {
                tbs.WriteGeneralizedTime(thisUpdate ?? Now.AddDays(-1));
            }
            else
            {
                tbs.WriteUtcTime(thisUpdate ?? Now.AddDays(-1));
            }

            tbs.WriteUtcTime(nextUpdate ?? Now.AddDays(6));
            var serials = revokedSerials.ToList();
            if (serials.Count > 0)
            {
                using (tbs.PushSequence())
                {
                    foreach (var serial in serials)
                    {
                        using (tbs.PushSequence())
                        {
                            tbs.WriteIntegerUnsigned(serial);
                            tbs.WriteUtcTime(Now.AddDays(-2));
                        }
                    }
                }
            }

            if (crlNumber is not null || extension is not null)
            {
                using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                using (tbs.PushSequence())
                {
                    if (crlNumber is { } number)
                    {
                        using (tbs.PushSequence())
                        {
                            tbs.WriteObjectIdentifier(Oids.CrlNumber);
                            if (crlNumberCritical)
                            {
                                tbs.WriteBoolean(true);
                            }

                            var value = new AsnWriter(AsnEncodingRules.DER);
                            value.WriteInteger(number);
                            tbs.WriteOctetString(value.Encode());
                        }
                    }

                    if (extension is not null)
                    {
                        using (tbs.PushSequence())
                        {
                            tbs.WriteObjectIdentifier(extension.Oid!.Value!);
                            if (extension.Critical)
                            {
                                tbs.WriteBoolean(true);
                            }

                            tbs.WriteOctetString(extension.RawData);
                        }
                    }
                }
            }
        }

        var tbsBytes = tbs.Encode();
        var crl = new AsnWriter(AsnEncodingRules.DER);
        using (crl.PushSequence())
        {
            crl.WriteEncodedValue(tbsBytes);
            WriteAlgorithm(crl);
            crl.WriteBitString(signer.Key.SignData(tbsBytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        return crl.Encode();
    }

    private static void WriteAlgorithm(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.10045.4.3.2");
        }
    }

    private static void AddCaExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }

    private static byte[] SubjectKeyIdentifier(ECDsa key) =>
        new X509SubjectKeyIdentifierExtension(new PublicKey(key), false).SubjectKeyIdentifierBytes.ToArray();

    private static Issued Sign(CertificateRequest request, Issued issuer, ECDsa key)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        var generator = X509SignatureGenerator.CreateForECDsa(issuer.Key);
        var certificate = request.Create(issuer.Certificate.SubjectName, generator, Now.AddDays(-10), Now.AddDays(90), serial);
        return new Issued(certificate, key);
    }
}
