using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Tests.Certificates;

public class CertificateViewTests
{
    public static TheoryData<string> Kinds => ["root", "intermediate", "client", "server", "rsa-root"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_view_reads_what_x509certificate2_reads(string kind)
    {
        using var pki = new TestPki(kind == "rsa-root" ? KeyAlgorithm.Rsa3072 : KeyAlgorithm.EcdsaP256);
        using var certificate = kind switch
        {
            "root" or "rsa-root" => X509CertificateLoader.LoadCertificate(pki.Root.RawData),
            "intermediate" => pki.Intermediate,
            "client" => X509CertificateLoader.LoadCertificate(pki.Client().Certificate.RawData),
            _ => X509CertificateLoader.LoadCertificate(pki.Server().Certificate.RawData),
        };

        var view = CertificateView.Of(certificate);

        Assert.Equal(certificate.SubjectName.RawData, view.Subject.ToArray());
        Assert.Equal(certificate.IssuerName.RawData, view.Issuer.ToArray());
        Assert.Equal(certificate.Subject, view.SubjectText);
        Assert.Equal(certificate.SerialNumberBytes.ToArray(), view.SerialNumber.ToArray());
        Assert.Equal(certificate.SignatureAlgorithm.Value, view.SignatureAlgorithm);
        Assert.Equal(certificate.PublicKey.Oid.Value, view.KeyAlgorithm);
        Assert.Equal(certificate.PublicKey.EncodedParameters?.RawData, view.KeyParameters?.ToArray());
        Assert.Equal(certificate.PublicKey.EncodedKeyValue.RawData, view.PublicKey);
        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA256), view.Sha256Thumbprint);
        Assert.Equal(certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault()?.KeyUsages, view.KeyUsages);
        Assert.Equal(
            certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()?.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value!).ToArray(),
            view.ExtendedKeyUsages?.ToArray());
        Assert.Equal(certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault()?.CertificateAuthority, view.BasicConstraints?.CertificateAuthority);
        Assert.Equal(certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier?.ToArray(), view.AuthorityKeyIdentifier?.KeyIdentifier?.ToArray());
        Assert.Equal(certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifier, view.SubjectKeyIdentifier?.SubjectKeyIdentifier);
        Assert.Equal(SubjectAlternativeNames.From(certificate).ToTypedStrings(), view.Names.ToTypedStrings());
        foreach (var extension in certificate.Extensions)
        {
            var found = view.Find(extension.Oid!.Value!);
            Assert.NotNull(found);
            Assert.Equal(extension.Critical, found.Value.Critical);
            Assert.Equal(extension.RawData, found.Value.Value.ToArray());
        }
    }

    [Fact]
    public void A_key_usage_encoding_read_again_gives_the_same_usages()
    {
        var root = RawPki.Root();
        var first = RawPki.Leaf(root);
        var second = RawPki.Leaf(root);

        var expected = first.Certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault()?.KeyUsages;
        Assert.Equal(expected, CertificateView.Of(first.Certificate).KeyUsages);
        Assert.Equal(expected, CertificateView.Of(second.Certificate).KeyUsages);
    }

    [Fact]
    public void An_accepted_result_names_its_chain_as_before()
    {
        using var pki = new TestPki();
        using var leaf = pki.Client();

        var result = ChainValidator.ValidateAt(leaf.Certificate, [pki.Intermediate], pki.ClientPolicy(), null, TestPki.Now);

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal([leaf.Certificate.Subject, pki.Authority.Intermediate.Subject, pki.Root.Subject], result.ChainSubjects);
        Assert.Equal(
            [leaf.Certificate.GetCertHashString(HashAlgorithmName.SHA256), pki.Authority.Intermediate.GetCertHashString(HashAlgorithmName.SHA256), pki.Root.GetCertHashString(HashAlgorithmName.SHA256)],
            result.ChainThumbprints);
        Assert.Equal($"Accepted: chain of 3 to '{pki.Root.Subject}'.", result.Detail);
    }
}
