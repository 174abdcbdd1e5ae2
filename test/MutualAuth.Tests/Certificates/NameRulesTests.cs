using System.Formats.Asn1;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;

namespace MutualAuth.Tests.Certificates;

/// <summary>Names and extensions X509Chain leaves to us, on chains built with CertificateRequest.</summary>
public sealed class NameRulesTests
{
    private static X509Extension NameConstraints(string[] permittedDns, string[] excludedDns, bool critical = true, bool emptyLists = false) =>
        RawPki.Extension("2.5.29.30", critical, w =>
        {
            using (w.PushSequence())
            {
                if (permittedDns.Length > 0 || emptyLists)
                {
                    using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                    {
                        foreach (var dns in permittedDns)
                        {
                            using (w.PushSequence())
                            {
                                w.WriteCharacterString(UniversalTagNumber.IA5String, dns, new Asn1Tag(TagClass.ContextSpecific, 2));
                            }
                        }
                    }
                }

                if (excludedDns.Length > 0 || emptyLists)
                {
                    using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
                    {
                        foreach (var dns in excludedDns)
                        {
                            using (w.PushSequence())
                            {
                                w.WriteCharacterString(UniversalTagNumber.IA5String, dns, new Asn1Tag(TagClass.ContextSpecific, 2));
                            }
                        }
                    }
                }
            }
        });

    [Theory]
    [InlineData("*.example.com", "bad.example.com")]
    [InlineData("*.example.com", ".bad.example.com")]
    [InlineData("*.sub.example.com", "example.com")]
    public void A_wildcard_that_can_name_an_excluded_subtree_is_refused(string wildcard, string excluded)
    {
        var root = RawPki.Root();
        var intermediate = RawPki.Intermediate(root, "CN=Constrained", r => r.CertificateExtensions.Add(NameConstraints([], [excluded])));
        var leaf = RawPki.Leaf(intermediate, dnsNames: [wildcard]);

        Assert.Equal(ChainFailureReason.NameConstraintViolation, RawPki.Validate(leaf, RawPki.ServerPolicy(root), null, intermediate).Reason);
    }

    [Theory]
    [InlineData("*.example.com", "deep.bad.example.com")]
    [InlineData("*.example.org", "bad.example.com")]
    public void A_wildcard_that_cannot_reach_the_excluded_subtree_is_accepted(string wildcard, string excluded)
    {
        var root = RawPki.Root();
        var intermediate = RawPki.Intermediate(root, "CN=Constrained", r => r.CertificateExtensions.Add(NameConstraints([], [excluded])));
        var leaf = RawPki.Leaf(intermediate, dnsNames: [wildcard]);

        var result = RawPki.Validate(leaf, RawPki.ServerPolicy(root), null, intermediate);

        Assert.True(result.IsValid, result.Detail);
    }

    [Theory]
    [InlineData("under_score.example.com")]
    [InlineData(".example.com")]
    [InlineData("example..com")]
    [InlineData("*.com")]
    [InlineData("foo.*.example.com")]
    [InlineData("ba*.example.com")]
    public void A_dns_san_that_is_not_a_host_name_is_refused(string dns)
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root, dnsNames: [dns]);

        var result = RawPki.Validate(leaf, RawPki.ServerPolicy(root));

        Assert.Equal(ChainFailureReason.InvalidName, result.Reason);
        Assert.Equal("invalid-name", result.Code);
    }

    [Theory]
    [InlineData("foo@bar@example.com")]
    [InlineData("@example.com")]
    [InlineData("foo@")]
    [InlineData("foo..bar@example.com")]
    [InlineData("foo@.example.com")]
    public void A_malformed_email_san_is_refused(string email)
    {
        var root = RawPki.Root();
        var intermediate = RawPki.Intermediate(root, "CN=Constrained", r => r.CertificateExtensions.Add(NameConstraints(["example.com"], [])));
        var leaf = RawPki.Leaf(intermediate, addSan: false, extend: r =>
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("leaf.example.com");
            san.AddEmailAddress(email);
            r.CertificateExtensions.Add(san.Build());
        });

        Assert.Equal(ChainFailureReason.InvalidName, RawPki.Validate(leaf, RawPki.ServerPolicy(root), null, intermediate).Reason);
    }

    [Fact]
    public void An_ip_san_that_is_not_4_or_16_octets_is_refused()
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root, addSan: false, extend: r => r.CertificateExtensions.Add(RawPki.Extension(Oids.SubjectAltName, false, w =>
        {
            using (w.PushSequence())
            {
                w.WriteCharacterString(UniversalTagNumber.IA5String, "leaf.example.com", new Asn1Tag(TagClass.ContextSpecific, 2));
                w.WriteOctetString([192, 0, 2, 0, 255, 255, 255, 0], new Asn1Tag(TagClass.ContextSpecific, 7));
            }
        })));

        Assert.Equal(ChainFailureReason.InvalidName, RawPki.Validate(leaf, RawPki.ServerPolicy(root)).Reason);
    }

    [Fact]
    public void A_well_formed_email_san_is_accepted()
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root, addSan: false, extend: r =>
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("leaf.example.com");
            san.AddEmailAddress("first.last+tag@mail.example.com");
            r.CertificateExtensions.Add(san.Build());
        });

        Assert.True(RawPki.Validate(leaf, RawPki.ServerPolicy(root)).IsValid);
    }

    [Fact]
    public void A_name_constraints_extension_with_no_subtrees_is_refused()
    {
        var root = RawPki.Root();
        var absent = RawPki.Intermediate(root, "CN=Absent", r => r.CertificateExtensions.Add(NameConstraints([], [])));
        var empty = RawPki.Intermediate(root, "CN=Empty", r => r.CertificateExtensions.Add(NameConstraints([], [], emptyLists: true)));

        Assert.NotEqual(ChainFailureReason.None, RawPki.Validate(RawPki.Leaf(absent), RawPki.ServerPolicy(root), null, absent).Reason);
        Assert.NotEqual(ChainFailureReason.None, RawPki.Validate(RawPki.Leaf(empty), RawPki.ServerPolicy(root), null, empty).Reason);
        var constrained = RawPki.Intermediate(root, "CN=Constrained", r => r.CertificateExtensions.Add(NameConstraints(["example.com"], [])));
        Assert.True(RawPki.Validate(RawPki.Leaf(constrained), RawPki.ServerPolicy(root), null, constrained).IsValid);
    }

    [Fact]
    public void A_non_critical_policy_constraints_extension_is_refused()
    {
        var root = RawPki.Root();
        X509Extension PolicyConstraints(bool critical) => RawPki.Extension("2.5.29.36", critical, w =>
        {
            using (w.PushSequence())
            {
                w.WriteInteger(0, new Asn1Tag(TagClass.ContextSpecific, 0));
            }
        });
        var lax = RawPki.Intermediate(root, "CN=Lax", r => r.CertificateExtensions.Add(PolicyConstraints(false)));
        var strict = RawPki.Intermediate(root, "CN=Strict", r => r.CertificateExtensions.Add(PolicyConstraints(true)));

        var result = RawPki.Validate(RawPki.Leaf(lax), RawPki.ServerPolicy(root), null, lax);

        Assert.Equal(ChainFailureReason.InvalidExtension, result.Reason);
        Assert.Contains("policyConstraints", result.Detail, StringComparison.Ordinal);
        Assert.NotEqual(ChainFailureReason.InvalidExtension, RawPki.Validate(RawPki.Leaf(strict), RawPki.ServerPolicy(root), null, strict).Reason);
    }

    [Fact]
    public void An_empty_subject_needs_a_critical_san()
    {
        var root = RawPki.Root();
        X509Extension San(bool critical)
        {
            var builder = new SubjectAlternativeNameBuilder();
            builder.AddDnsName("leaf.example.com");
            return new X509Extension(builder.Build().Oid!, builder.Build().RawData, critical);
        }

        var lax = RawPki.Leaf(root, subject: "", addSan: false, extend: r => r.CertificateExtensions.Add(San(false)));
        var strict = RawPki.Leaf(root, subject: "", addSan: false, extend: r => r.CertificateExtensions.Add(San(true)));

        Assert.Equal(ChainFailureReason.InvalidExtension, RawPki.Validate(lax, RawPki.ServerPolicy(root)).Reason);
        Assert.True(RawPki.Validate(strict, RawPki.ServerPolicy(root)).IsValid);
    }

    [Theory]
    [InlineData(2049, false)]
    [InlineData(2055, false)]
    [InlineData(2048, true)]
    public void An_rsa_modulus_must_be_a_whole_number_of_octets(int bits, bool accepted)
    {
        var root = RawPki.Root();
        var modulus = RandomNumberGenerator.GetBytes((bits + 7) / 8);
        modulus[0] &= (byte)(0xFF >> (((modulus.Length * 8) - bits) % 8));
        modulus[0] |= (byte)(0x80 >> (((modulus.Length * 8) - bits) % 8));
        modulus[^1] |= 1;
        var key = new AsnWriter(AsnEncodingRules.DER);
        using (key.PushSequence())
        {
            key.WriteInteger(new BigInteger(modulus, isUnsigned: true, isBigEndian: true));
            key.WriteInteger(65537);
        }

        var parameters = new AsnWriter(AsnEncodingRules.DER);
        parameters.WriteNull();
        var publicKey = new PublicKey(new Oid("1.2.840.113549.1.1.1"), new AsnEncodedData(parameters.Encode()), new AsnEncodedData(key.Encode()));
        var request = new CertificateRequest(new X500DistinguishedName("CN=leaf.example.com"), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(Oids.ServerAuth)], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("leaf.example.com");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root.Certificate, true, false));
        using var leaf = request.Create(root.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(root.Key), RawPki.Now.AddDays(-1), RawPki.Now.AddDays(30), [0x01, 0x02]);

        var result = ChainValidator.ValidateAt(leaf, [], RawPki.ServerPolicy(root), null, RawPki.Now);

        Assert.Equal(accepted, result.IsValid);
        if (!accepted)
        {
            Assert.Equal(ChainFailureReason.ForbiddenAlgorithm, result.Reason);
            Assert.Contains($"{bits}-bit", result.Detail, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("CN=Example.COM", "example.com", null, false)]
    [InlineData("CN=notinsan.example.com", "example.com", null, false)]
    [InlineData("CN=example.com", "example.com", null, true)]
    [InlineData("CN=192.168.001.001", "example.com", "192.168.1.1", false)]
    [InlineData("CN=0xC0A80101", "example.com", "192.168.1.1", false)]
    [InlineData("CN=192.168.1.1", "example.com", "192.168.1.1", true)]
    [InlineData("CN=2001:DB8::1", "example.com", "2001:db8::1", false)]
    [InlineData("CN=2001:0db8:0:0:0:0:0:1", "example.com", "2001:db8::1", false)]
    [InlineData("CN=2001:db8::1", "example.com", "2001:db8::1", true)]
    [InlineData("CN=2001:db8:0:0:1:0:0:1", "example.com", "2001:db8::1:0:0:1", false)]
    [InlineData("CN=2001:db8::1:0:0:1", "example.com", "2001:db8::1:0:0:1", true)]
    [InlineData("CN=test-測試.com", "xn--test--gs1lv54n.com", null, false)]
    [InlineData("CN=xn--nxasmq6b.com", "xn--n3h.com", null, false)]
    [InlineData("CN=xn--n3h.com", "xn--n3h.com", null, true)]
    [InlineData("CN=*.example.com", "*.example.com", null, true)]
    [InlineData("CN=foo.example.com", "*.example.com", null, false)]
    [InlineData("CN=example.com, CN=example.com", "example.com", null, false)]
    [InlineData("O=No CN", "example.com", null, true)]
    public void Under_the_web_pki_profile_the_cn_must_be_a_copy_of_a_san(string subject, string dns, string? ip, bool accepted)
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root, subject, addSan: false, extend: r =>
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(dns);
            if (ip is not null)
            {
                san.AddIpAddress(IPAddress.Parse(ip));
            }

            r.CertificateExtensions.Add(san.Build());
        });
        var policy = RawPki.ServerPolicy(root);

        Assert.True(RawPki.Validate(leaf, policy).IsValid);
        var result = RawPki.Validate(leaf, policy with { WebPkiProfile = true });
        Assert.Equal(accepted, result.IsValid);
        Assert.Equal(accepted ? ChainFailureReason.None : ChainFailureReason.InvalidName, result.Reason);
    }
}
