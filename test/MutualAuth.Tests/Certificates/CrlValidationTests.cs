using MutualAuth.Certificates;

namespace MutualAuth.Tests.Certificates;

/// <summary>A CRL signed by the right issuer must itself be well-formed and in effect before it decides anything.</summary>
public sealed class CrlValidationTests
{
    private static TrustPolicy Policy(RawPki.Issued root, params byte[][] crls) =>
        RawPki.ServerPolicy(root) with { Revocation = RevocationMode.EndEntity, Crls = [.. crls.Select(c => CertificateRevocationList.Parse(c))] };

    [Fact]
    public void A_revoked_leaf_is_refused_and_an_unlisted_one_accepted()
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root);
        var other = RawPki.Leaf(root);

        var crl = RawPki.Crl(root, [leaf.Certificate.SerialNumberBytes.ToArray()], 7);

        Assert.Equal(ChainFailureReason.Revoked, RawPki.Validate(leaf, Policy(root, crl)).Reason);
        Assert.True(RawPki.Validate(other, Policy(root, crl)).IsValid);
    }

    [Fact]
    public void A_crl_without_a_crl_number_is_refused()
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root);

        var result = RawPki.Validate(leaf, Policy(root, RawPki.Crl(root, [], crlNumber: null)));

        Assert.Equal(ChainFailureReason.CrlInvalid, result.Reason);
        Assert.Equal("crl-invalid", result.Code);
        Assert.Contains("cRLNumber", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crl_with_a_critical_crl_number_is_refused()
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root);

        Assert.Equal(ChainFailureReason.CrlInvalid, RawPki.Validate(leaf, Policy(root, RawPki.Crl(root, [], 3, crlNumberCritical: true))).Reason);
    }

    [Fact]
    public void A_crl_not_yet_in_effect_is_refused()
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root);

        var crl = RawPki.Crl(root, [], 3, thisUpdate: RawPki.Now.AddDays(1), nextUpdate: RawPki.Now.AddDays(8));

        Assert.Equal(ChainFailureReason.CrlInvalid, RawPki.Validate(leaf, Policy(root, crl)).Reason);
    }

    [Fact]
    public void A_crl_past_its_next_update_is_refused_when_a_current_crl_is_required()
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root);

        var crl = RawPki.Crl(root, [], 3, thisUpdate: RawPki.Now.AddDays(-60), nextUpdate: RawPki.Now.AddDays(-30));

        Assert.Equal(ChainFailureReason.CrlStale, RawPki.Validate(leaf, Policy(root, crl)).Reason);
    }

    [Fact]
    public void A_crl_under_the_issuers_name_but_signed_by_another_key_decides_nothing()
    {
        var root = RawPki.Root("CN=Root 1");
        var impostor = RawPki.Root("CN=Root 2");
        var leaf = RawPki.Leaf(root);

        var forged = RawPki.Crl(impostor, [], 3, issuerName: root.Certificate.SubjectName);

        Assert.Equal(ChainFailureReason.CrlMissing, RawPki.Validate(leaf, Policy(root, forged)).Reason);
        Assert.Equal(ChainFailureReason.Revoked, RawPki.Validate(leaf, Policy(root, forged, RawPki.Crl(root, [leaf.Certificate.SerialNumberBytes.ToArray()], 4))).Reason);
    }

    [Fact]
    public void A_crl_from_an_issuer_without_crl_sign_decides_nothing()
    {
        var root = RawPki.Root(extend: r =>
        {
            var keyUsage = r.CertificateExtensions.OfType<System.Security.Cryptography.X509Certificates.X509KeyUsageExtension>().Single();
            r.CertificateExtensions.Remove(keyUsage);
            r.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509KeyUsageExtension(System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.KeyCertSign, true));
        });
        var leaf = RawPki.Leaf(root);

        Assert.Equal(ChainFailureReason.CrlMissing, RawPki.Validate(leaf, Policy(root, RawPki.Crl(root, [], 3))).Reason);
    }

    [Fact]
    public void A_crl_listing_a_serial_twice_is_not_parsed()
    {
        var root = RawPki.Root();
        var serial = new byte[] { 0x11, 0x22 };

        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => CertificateRevocationList.Parse(RawPki.Crl(root, [serial, serial], 3)));
    }

    [Fact]
    public void A_crl_with_an_unknown_critical_extension_is_not_parsed_and_a_non_critical_one_is_ignored()
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root);
        var unknown = new byte[] { 0x05, 0x00 };

        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => CertificateRevocationList.Parse(
            RawPki.Crl(root, [], 3, extension: new System.Security.Cryptography.X509Certificates.X509Extension("1.3.6.1.4.1.55738.666.1", unknown, true))));
        var ignored = RawPki.Crl(root, [leaf.Certificate.SerialNumberBytes.ToArray()], 3,
            extension: new System.Security.Cryptography.X509Certificates.X509Extension("1.3.6.1.4.1.55738.666.1", unknown, false));
        Assert.Equal(ChainFailureReason.Revoked, RawPki.Validate(leaf, Policy(root, ignored)).Reason);
    }

    [Fact]
    public void A_crl_with_ten_thousand_entries_is_used()
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root);
        var serials = Enumerable.Range(1, 10_000).Select(i => BitConverter.GetBytes(i).Reverse().Prepend((byte)0x7F).ToArray()).ToList();

        var crl = RawPki.Crl(root, serials, 9);

        Assert.True(RawPki.Validate(leaf, Policy(root, crl)).IsValid);
        Assert.Equal(ChainFailureReason.Revoked, RawPki.Validate(leaf, Policy(root, RawPki.Crl(root, [.. serials, leaf.Certificate.SerialNumberBytes.ToArray()], 10))).Reason);
    }

    [Fact]
    public void A_crl_with_a_date_before_2050_as_generalized_time_is_not_parsed()
    {
        var root = RawPki.Root();

        var error = Assert.Throws<System.Security.Cryptography.CryptographicException>(() => CertificateRevocationList.Parse(RawPki.Crl(root, [], 3, generalizedTimes: true)));

        Assert.Contains("UTCTime", error.Message, StringComparison.Ordinal);
    }
}
