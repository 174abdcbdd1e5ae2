using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;

namespace MutualAuth.Tests.Certificates;

/// <summary>Trust anchors are trusted for their name and key (RFC 5280 §6.1.1 (d)); validity includes notAfter itself.</summary>
public sealed class TrustAnchorAndValidityTests
{
    private static RawPki.Issued SelfSigned(byte[] serial, Action<CertificateRequest>? extend = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Anchor", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        extend?.Invoke(request);
        var certificate = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), RawPki.Now.AddDays(-30), RawPki.Now.AddDays(365), serial);
        return new RawPki.Issued(certificate, key);
    }

    [Fact]
    public void An_anchor_with_a_zero_serial_number_is_still_an_anchor()
    {
        var anchor = SelfSigned([0x00]);
        var leaf = RawPki.Leaf(anchor);

        var result = RawPki.Validate(leaf, RawPki.ServerPolicy(anchor));

        Assert.True(result.IsValid, result.Detail);
    }

    [Fact]
    public void An_intermediate_with_a_zero_serial_number_is_still_refused()
    {
        var root = RawPki.Root();
        var intermediate = RawPki.Intermediate(root, "CN=Zero");
        var zero = new CertificateRequest(intermediate.Certificate.SubjectName, intermediate.Key, HashAlgorithmName.SHA256);
        foreach (var extension in intermediate.Certificate.Extensions)
        {
            zero.CertificateExtensions.Add(extension);
        }

        using var zeroSerial = zero.Create(root.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(root.Key), RawPki.Now.AddDays(-1), RawPki.Now.AddDays(30), [0x00]);
        var leaf = RawPki.Leaf(intermediate);

        Assert.Equal(ChainFailureReason.InvalidSerialNumber, RawPki.Validate(leaf, RawPki.ServerPolicy(root), null, new RawPki.Issued(zeroSerial, intermediate.Key)).Reason);
    }

    [Fact]
    public void Under_the_web_pki_profile_an_anchor_with_non_critical_name_constraints_is_accepted_and_its_constraints_still_apply()
    {
        var anchor = SelfSigned([0x05], r => r.CertificateExtensions.Add(RawPki.Extension("2.5.29.30", false, w =>
        {
            using (w.PushSequence())
            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (w.PushSequence())
            {
                w.WriteCharacterString(UniversalTagNumber.IA5String, "example.com", new Asn1Tag(TagClass.ContextSpecific, 2));
            }
        })));

        var webPki = RawPki.ServerPolicy(anchor) with { WebPkiProfile = true };
        var inside = RawPki.Validate(RawPki.Leaf(anchor, "CN=www.example.com", ["www.example.com"]), webPki);
        var outside = RawPki.Validate(RawPki.Leaf(anchor, "CN=www.example.org", ["www.example.org"]), webPki);

        Assert.True(inside.IsValid, inside.Detail);
        Assert.Equal(ChainFailureReason.NameConstraintViolation, outside.Reason);
        Assert.Equal(ChainFailureReason.NameConstraintViolation, RawPki.Validate(RawPki.Leaf(anchor, dnsNames: ["www.example.com"]), RawPki.ServerPolicy(anchor)).Reason);
    }

    [Fact]
    public void A_certificate_is_valid_at_its_exact_not_after_and_not_a_second_later()
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root);
        var notAfter = new DateTimeOffset(leaf.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);

        var atNotAfter = ChainValidator.ValidateAt(leaf.Certificate, [], RawPki.ServerPolicy(root), null, notAfter);
        var withinTheSecond = ChainValidator.ValidateAt(leaf.Certificate, [], RawPki.ServerPolicy(root), null, notAfter.AddMilliseconds(999));

        Assert.True(atNotAfter.IsValid, atNotAfter.Detail);
        Assert.True(withinTheSecond.IsValid, withinTheSecond.Detail);
        Assert.Equal(ChainFailureReason.Expired, ChainValidator.ValidateAt(leaf.Certificate, [], RawPki.ServerPolicy(root), null, notAfter.AddSeconds(1)).Reason);
    }
}
