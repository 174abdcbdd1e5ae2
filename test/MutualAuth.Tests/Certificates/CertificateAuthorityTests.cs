using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Keys;
using MutualAuth.Testing;

namespace MutualAuth.Tests.Certificates;

public sealed class CertificateAuthorityTests
{
    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256, "1.2.840.10045.4.3.2")]
    [InlineData(KeyAlgorithm.EcdsaP384, "1.2.840.10045.4.3.3")]
    [InlineData(KeyAlgorithm.Rsa3072, "1.2.840.113549.1.1.11")]
    public void Creates_a_root_and_an_intermediate_with_ca_profiles(KeyAlgorithm algorithm, string signatureOid)
    {
        using var pki = new TestPki(algorithm);
        var root = pki.Root;
        var intermediate = pki.Authority.Intermediate;

        Assert.Equal(root.Subject, root.Issuer);
        Assert.Equal(root.Subject, intermediate.Issuer);
        Assert.Equal(signatureOid, intermediate.SignatureAlgorithm.Value);
        var rootConstraints = root.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(rootConstraints.Critical && rootConstraints.CertificateAuthority && rootConstraints.PathLengthConstraint == 1);
        var constraints = intermediate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.Critical && constraints.CertificateAuthority && constraints.HasPathLengthConstraint && constraints.PathLengthConstraint == 0);
        var usage = intermediate.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.True(intermediate.NotAfter <= root.NotAfter);
    }

    [Fact]
    public void Client_profile_gives_clientAuth_only_and_digital_signature()
    {
        using var pki = new TestPki();
        using var client = pki.Client("alice", r => r with { Uris = [new Uri("spiffe://example.org/ns/a/sa/alice")] });

        var eku = client.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal([Oids.ClientAuth], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, client.Certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.False(client.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var names = SubjectAlternativeNames.From(client.Certificate);
        Assert.Equal(["alice"], names.DnsNames);
        Assert.Equal(["spiffe://example.org/ns/a/sa/alice"], names.Uris);
        Assert.Equal(pki.Authority.Intermediate.Subject, client.Certificate.Issuer);
    }

    [Fact]
    public void Server_profile_gives_serverAuth_only_with_dns_and_ip_names()
    {
        using var pki = new TestPki();
        using var server = pki.Server();

        var eku = server.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal([Oids.ServerAuth], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        var names = SubjectAlternativeNames.From(server.Certificate);
        Assert.Equal(["localhost"], names.DnsNames);
        Assert.Equal(["127.0.0.1"], names.IpAddresses);
    }

    [Fact]
    public void Validity_is_backdated_for_clock_skew_and_follows_the_profile()
    {
        using var pki = new TestPki();
        using var client = pki.Client();

        Assert.Equal(TestPki.Now - CertificateAuthority.ClockSkewAllowance, client.Certificate.NotBefore.ToUniversalTime());
        Assert.Equal(TestPki.Now + CertificateProfile.Client.DefaultLifetime, client.Certificate.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void A_leaf_never_outlives_its_issuer()
    {
        using var pki = new TestPki();

        var error = Assert.Throws<ArgumentException>(() => pki.Client(change: r => r with { NotAfter = TestPki.Now.AddYears(50) }));

        Assert.Contains("outlive its issuer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_without_any_subject_alternative_name_is_refused()
    {
        using var pki = new TestPki();

        var error = Assert.Throws<ArgumentException>(() => pki.Client(change: r => r with { DnsNames = [] }));
        Assert.Contains("subject alternative name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serial_numbers_are_positive_random_and_at_most_20_bytes()
    {
        using var pki = new TestPki();
        var serials = Enumerable.Range(0, 50).Select(_ => { using var c = pki.Client(); return c.Certificate.SerialNumberBytes.ToArray(); }).ToList();

        Assert.All(serials, s => Assert.InRange(s.Length, 1, 20));
        Assert.All(serials, s => Assert.True((s[^1] & 0x80) == 0 || s.Length < 20, "serial must be positive"));
        Assert.Equal(serials.Count, serials.Select(Convert.ToHexString).Distinct().Count());
    }

    [Fact]
    public void The_issuing_key_matches_the_intermediate_certificate()
    {
        using var pki = new TestPki();
        using var key = SoftwareSigningKey.FromPem(pki.Authority.ExportIssuingKeyPem());
        using var reloaded = new CertificateAuthority(pki.Root, X509CertificateLoader.LoadCertificate(pki.Authority.Intermediate.RawData), key, pki.Time);
        using var client = reloaded.Issue(new LeafRequest { CommonName = "x", DnsNames = ["x"], Profile = CertificateProfile.Client });

        using var issuerKey = pki.Authority.Intermediate.GetECDsaPublicKey()!;
        Assert.NotNull(issuerKey);
        Assert.Equal(pki.Authority.Intermediate.SubjectName.RawData, client.Certificate.IssuerName.RawData);
    }

    [Fact]
    public void A_key_of_another_ca_is_refused()
    {
        using var pki = new TestPki();
        using var other = new TestPki();
        using var key = SoftwareSigningKey.FromPem(other.Authority.ExportIssuingKeyPem());

        Assert.Throws<ArgumentException>(() => new CertificateAuthority(pki.Root, X509CertificateLoader.LoadCertificate(pki.Authority.Intermediate.RawData), key, pki.Time));
    }

    [Fact]
    public void Name_constraints_on_the_intermediate_bind_issuance_and_validation()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestPki.Now);
        var constraints = new NameConstraints { PermittedDnsNames = ["example.org"], PermittedUriHosts = ["example.org"], PermittedIpRanges = [NameConstraints.ParseRange("10.0.0.0/8")] };
        var created = CertificateAuthority.Create("Constrained", KeyAlgorithm.EcdsaP256, time, constraints);
        using var authority = created.Authority;
        using var rootKey = created.RootKey;
        LeafRequest Request(string dns, string? uri = null) => new()
        {
            CommonName = "x",
            DnsNames = [dns],
            Uris = uri is null ? [] : [new Uri(uri)],
            Profile = CertificateProfile.Client,
        };

        using var inside = authority.Issue(Request("api.example.org", "spiffe://example.org/ns/a"));

        Assert.True(authority.Intermediate.Extensions["2.5.29.30"]!.Critical);
        Assert.Throws<ArgumentException>(() => authority.Issue(Request("evil.com")));
        Assert.Throws<ArgumentException>(() => authority.Issue(Request("api.example.org", "spiffe://evil.org/x")));
        var policy = new TrustPolicy { TrustAnchors = [authority.Root], Revocation = RevocationMode.None };
        Assert.True(ChainValidator.ValidateAt(inside.Certificate, [inside.Issuer], policy, null, TestPki.Now).IsValid);
    }

    [Theory]
    [InlineData("*.org")]
    [InlineData("*.*.example.org")]
    [InlineData("foo*.example.org")]
    [InlineData("ex ample.org")]
    [InlineData("10.0.0.1")]
    [InlineData("_x.example.org")]
    [InlineData("*")]
    public void Malformed_or_over_broad_dns_names_are_not_issued(string name)
    {
        using var pki = new TestPki();

        Assert.Throws<ArgumentException>(() => pki.Server(name));
    }

    [Theory]
    [InlineData("https://user:pass@example.org/")]
    [InlineData("javascript:alert(1)")]
    public void Uris_without_a_host_or_with_user_information_are_not_issued(string uri)
    {
        using var pki = new TestPki();

        Assert.Throws<ArgumentException>(() => pki.Client(change: r => r with { Uris = [new Uri(uri)] }));
    }

    [Fact]
    public void Keys_on_curves_other_than_p256_and_p384_are_not_signed()
    {
        using var pki = new TestPki();
        using var secp256k1 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.CreateFromValue("1.3.132.0.10"));
        using var p521 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP521);
        var request = new LeafRequest { CommonName = "x", DnsNames = ["x"], Profile = CertificateProfile.Client };

        Assert.Throws<ArgumentException>(() => pki.Authority.Sign(request, new PublicKey(secp256k1)));
        Assert.Throws<ArgumentException>(() => pki.Authority.Sign(request, new PublicKey(p521)));
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("nope/8")]
    public void Bad_ip_ranges_are_refused(string text) => Assert.Throws<FormatException>(() => NameConstraints.ParseRange(text));

    [Fact]
    public void Small_rsa_keys_are_refused()
    {
        using var rsa = RSA.Create(1024);

        Assert.Throws<CryptographicException>(() => SoftwareSigningKey.FromPem(rsa.ExportPkcs8PrivateKeyPem()));
    }
}
