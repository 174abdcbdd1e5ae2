using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;

namespace MutualAuth.Tests.Certificates;

/// <summary>A TLS peer's keyUsage, when present, must allow authentication (CA/B BR 7.1.2.7.11: an RSA key needs at least one usage).</summary>
public sealed class LeafKeyUsageTests
{
    private static X509Certificate2 RsaLeaf(RawPki.Issued root, X509KeyUsageFlags? usages)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=leaf.example.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        if (usages is { } flags)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(flags, true));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(Oids.ServerAuth)], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("leaf.example.com");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root.Certificate, true, false));
        return request.Create(root.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(root.Key), RawPki.Now.AddDays(-1), RawPki.Now.AddDays(30), [0x01, 0x03]);
    }

    [Theory]
    [InlineData(X509KeyUsageFlags.KeyCertSign, ChainFailureReason.KeyUsage)]
    [InlineData(X509KeyUsageFlags.DataEncipherment, ChainFailureReason.KeyUsage)]
    [InlineData(X509KeyUsageFlags.DigitalSignature, ChainFailureReason.None)]
    [InlineData(X509KeyUsageFlags.KeyEncipherment, ChainFailureReason.None)]
    public void An_rsa_leaf_needs_a_key_usage_that_allows_tls(X509KeyUsageFlags usages, ChainFailureReason expected)
    {
        var root = RawPki.Root();
        using var leaf = RsaLeaf(root, usages);

        var result = ChainValidator.ValidateAt(leaf, [], RawPki.ServerPolicy(root), null, RawPki.Now);

        Assert.Equal(expected, result.Reason);
    }

    [Fact]
    public void An_rsa_leaf_whose_key_usage_extension_asserts_nothing_is_refused()
    {
        var root = RawPki.Root();
        using var leaf = RsaLeaf(root, X509KeyUsageFlags.None);

        var result = ChainValidator.ValidateAt(leaf, [], RawPki.ServerPolicy(root), null, RawPki.Now);

        // OpenSSL already refuses the path for an empty keyUsage, before our purpose check would.
        Assert.Equal(ChainFailureReason.InvalidExtension, result.Reason);
        Assert.Contains("keyUsage", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_rsa_leaf_without_a_key_usage_extension_is_accepted()
    {
        var root = RawPki.Root();
        using var leaf = RsaLeaf(root, null);

        var result = ChainValidator.ValidateAt(leaf, [], RawPki.ServerPolicy(root), null, RawPki.Now);

        Assert.True(result.IsValid, result.Detail);
    }
}
