using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;

namespace MutualAuth.Tests.Certificates;

/// <summary>
/// Partitioned CRLs (issuingDistributionPoint, RFC 5280 §5.2.5, §6.3.3; CA/B BR 7.2.2.1): a CRL decides only for
/// the certificates it covers, and the partition forms the web PKI does not allow make it unusable.
/// </summary>
public sealed class CrlPartitionTests
{
    private const string Partition = "http://example.com/partition.crl";

    private static Asn1Tag Context(int value, bool constructed = false) => new(TagClass.ContextSpecific, value, constructed);

    private static X509Extension DistributionPoint(string[]? uris = null, bool dnsName = false, bool relative = false, bool onlyUser = false,
        bool onlyCa = false, bool someReasons = false, bool indirect = false, bool onlyAttribute = false) =>
        RawPki.Extension(IssuingDistributionPoint.Oid, true, w =>
        {
            using (w.PushSequence())
            {
                if (uris is not null || relative)
                {
                    using (w.PushSequence(Context(0, constructed: true)))
                    {
                        WriteName(w, uris ?? [], dnsName, relative);
                    }
                }

                WriteFlag(w, 1, onlyUser);
                WriteFlag(w, 2, onlyCa);
                if (someReasons)
                {
                    w.WriteBitString([0x40], 6, Context(3)); // keyCompromise
                }

                WriteFlag(w, 4, indirect);
                WriteFlag(w, 5, onlyAttribute);
            }
        });

    /// <summary>A certificate's cRLDistributionPoints with one point.</summary>
    private static X509Extension CertificatePoints(string[] uris, bool dnsName = false) =>
        RawPki.Extension("2.5.29.31", false, w =>
        {
            using (w.PushSequence())
            using (w.PushSequence())
            using (w.PushSequence(Context(0, constructed: true)))
            {
                WriteName(w, uris, dnsName, relative: false);
            }
        });

    private static void WriteName(AsnWriter w, string[] uris, bool dnsName, bool relative)
    {
        if (relative)
        {
            using (w.PushSetOf(Context(1, constructed: true)))
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier("2.5.4.3");
                w.WriteCharacterString(UniversalTagNumber.UTF8String, "partition");
            }

            return;
        }

        using (w.PushSequence(Context(0, constructed: true)))
        {
            foreach (var uri in uris)
            {
                w.WriteCharacterString(UniversalTagNumber.IA5String, uri, Context(6));
            }

            if (dnsName)
            {
                w.WriteCharacterString(UniversalTagNumber.IA5String, "example.com", Context(2));
            }
        }
    }

    private static void WriteFlag(AsnWriter w, int tag, bool value)
    {
        if (value)
        {
            w.WriteBoolean(true, Context(tag));
        }
    }

    private static TrustPolicy Policy(RawPki.Issued root, params byte[][] crls) =>
        RawPki.ServerPolicy(root) with { Revocation = RevocationMode.EndEntity, Crls = [.. crls.Select(c => CertificateRevocationList.Parse(c))] };

    private static RawPki.Issued Leaf(RawPki.Issued issuer, string[]? points, bool dnsName = false) =>
        RawPki.Leaf(issuer, extend: points is null ? null : r => r.CertificateExtensions.Add(CertificatePoints(points, dnsName)));

    [Fact]
    public void A_partition_named_by_the_certificate_decides_for_it()
    {
        var root = RawPki.Root();
        var leaf = Leaf(root, [Partition]);
        var other = Leaf(root, [Partition]);
        var crl = RawPki.Crl(root, [leaf.Certificate.SerialNumberBytes.ToArray()], 5, extension: DistributionPoint([Partition]));

        Assert.Equal(ChainFailureReason.Revoked, RawPki.Validate(leaf, Policy(root, crl)).Reason);
        var accepted = RawPki.Validate(other, Policy(root, crl));
        Assert.True(accepted.IsValid, accepted.Detail);
    }

    [Theory]
    [InlineData(new[] { "http://example.com/other.crl" }, false)]
    [InlineData(null, false)]
    [InlineData(new[] { Partition }, true)]
    [InlineData(new[] { "http://example.com/%70artition.crl" }, false)]
    public void A_partition_the_certificate_does_not_name_by_uri_alone_and_byte_for_byte_does_not_clear_it(string[]? points, bool dnsName)
    {
        var root = RawPki.Root();
        var leaf = Leaf(root, points, dnsName);

        var result = RawPki.Validate(leaf, Policy(root, RawPki.Crl(root, [], 5, extension: DistributionPoint([Partition]))));

        Assert.Equal(ChainFailureReason.CrlMissing, result.Reason);
        Assert.Contains("partition", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partition_scoped_by_certificate_kind_covers_only_that_kind()
    {
        var root = RawPki.Root();
        var intermediate = RawPki.Intermediate(root, "CN=Raw Intermediate");
        var leaf = RawPki.Leaf(intermediate);
        var forLeaves = RawPki.Crl(intermediate, [], 2, extension: DistributionPoint(onlyUser: true));
        var rootForLeavesOnly = RawPki.Crl(root, [], 2, extension: DistributionPoint(onlyUser: true));
        var rootForCas = RawPki.Crl(root, [], 3, extension: DistributionPoint(onlyCa: true));
        var chain = RawPki.ServerPolicy(root) with { Revocation = RevocationMode.EntireChain };
        TrustPolicy With(params byte[][] crls) => chain with { Crls = [.. crls.Select(c => CertificateRevocationList.Parse(c))] };

        var accepted = RawPki.Validate(leaf, With(forLeaves, rootForCas), null, intermediate);
        Assert.True(accepted.IsValid, accepted.Detail);
        var refused = RawPki.Validate(leaf, With(forLeaves, rootForLeavesOnly), null, intermediate);
        Assert.Equal(ChainFailureReason.CrlMissing, refused.Reason);
        Assert.Contains("end-entity certificates only", refused.Detail, StringComparison.Ordinal);
        var leafUnderCaOnly = RawPki.Validate(RawPki.Leaf(root), Policy(root, rootForCas));
        Assert.Equal(ChainFailureReason.CrlMissing, leafUnderCaOnly.Reason);
        Assert.Equal(ChainFailureReason.CrlMissing, RawPki.Validate(RawPki.Leaf(root), Policy(root, RawPki.Crl(root, [], 4, extension: DistributionPoint(onlyAttribute: true)))).Reason);
    }

    [Fact]
    public void A_partition_that_does_not_cover_the_certificate_neither_clears_nor_revokes_it_when_no_crl_is_required()
    {
        var root = RawPki.Root();
        var leaf = Leaf(root, ["http://example.com/other.crl"]);
        var crl = RawPki.Crl(root, [leaf.Certificate.SerialNumberBytes.ToArray()], 5, extension: DistributionPoint([Partition]));

        var result = RawPki.Validate(leaf, Policy(root, crl) with { RequireCrl = false });

        Assert.True(result.IsValid, result.Detail);
    }

    [Theory]
    [InlineData(true, false, false, false)]
    [InlineData(false, true, false, false)]
    [InlineData(false, false, true, false)]
    [InlineData(false, false, false, true)]
    public void A_partition_of_a_form_the_web_pki_does_not_allow_makes_the_crl_unusable(bool relative, bool dnsName, bool someReasons, bool indirect)
    {
        var root = RawPki.Root();
        var leaf = Leaf(root, [Partition]);
        var point = DistributionPoint(relative ? null : [Partition], dnsName, relative, someReasons: someReasons, indirect: indirect);

        var result = RawPki.Validate(leaf, Policy(root, RawPki.Crl(root, [], 5, extension: point)));

        Assert.Equal(ChainFailureReason.CrlInvalid, result.Reason);
        Assert.Contains("issuingDistributionPoint", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_explains_an_uncovered_certificate_with_its_code_and_one_line()
    {
        var root = RawPki.Root();
        var leaf = Leaf(root, null);

        var report = ChainValidator.ExplainAt(leaf.Certificate, [], Policy(root, RawPki.Crl(root, [], 5, extension: DistributionPoint([Partition]))), null, RawPki.Now);

        var failed = Assert.Single(report.Steps, s => s.Outcome == ValidationOutcome.Failed);
        Assert.Equal("revocation", failed.Check);
        Assert.Equal("crl-missing", report.Result.Code);
        Assert.Contains("is a partition the certificate's cRLDistributionPoints do not name", failed.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failed.Detail);
    }

    [Fact]
    public void A_crl_with_an_extension_twice_is_refused()
    {
        var root = RawPki.Root();

        var twice = RawPki.Crl(root, [], 5, extension: new X509Extension(Oids.CrlNumber, new byte[] { 2, 1, 6 }, false));

        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => CertificateRevocationList.Parse(twice));
    }
}
