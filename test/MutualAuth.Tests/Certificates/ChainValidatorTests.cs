using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Tests.Certificates;

public sealed class ChainValidatorTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private ChainValidationResult Validate(IssuedCertificate leaf, TrustPolicy policy, string? host = null, bool sendIntermediate = true) =>
        new ChainValidator(_pki.Time).Validate(leaf.Certificate, sendIntermediate ? [leaf.Issuer] : [], policy, host);

    [Fact]
    public void Accepts_a_valid_client_certificate_using_the_intermediate_the_peer_sent()
    {
        using var client = _pki.Client();

        var result = Validate(client, _pki.ClientPolicy());

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal("ok", result.Code);
        Assert.Equal(3, result.ChainSubjects.Count);
    }

    [Fact]
    public void Accepts_with_a_configured_intermediate_when_the_peer_sends_none()
    {
        using var client = _pki.Client();
        var policy = _pki.ClientPolicy() with { Intermediates = [_pki.Intermediate] };

        Assert.True(Validate(client, policy, sendIntermediate: false).IsValid);
    }

    [Fact]
    public void Refuses_when_the_intermediate_is_missing()
    {
        using var client = _pki.Client();

        Assert.Equal(ChainFailureReason.UntrustedRoot, Validate(client, _pki.ClientPolicy(), sendIntermediate: false).Reason);
    }

    [Fact]
    public void Refuses_no_certificate()
    {
        var result = new ChainValidator(_pki.Time).Validate(null, [], _pki.ClientPolicy());

        Assert.Equal(ChainFailureReason.NoCertificate, result.Reason);
        Assert.Equal("no-certificate", result.Code);
    }

    [Fact]
    public void Refuses_a_certificate_from_another_ca()
    {
        using var other = new TestPki(name: "Other");
        using var client = other.Client();

        Assert.Equal(ChainFailureReason.UntrustedRoot, Validate(client, _pki.ClientPolicy()).Reason);
    }

    [Fact]
    public void Never_uses_the_system_trust_store_unless_asked()
    {
        using var client = _pki.Client();
        var policy = _pki.ClientPolicy() with { TrustAnchors = [] };

        Assert.Equal(ChainFailureReason.UntrustedRoot, Validate(client, policy).Reason);
    }

    [Fact]
    public void With_the_system_store_enabled_explicit_anchors_still_work_and_unknown_cas_are_still_refused()
    {
        using var client = _pki.Client();
        using var other = new TestPki(name: "Other");
        using var stranger = other.Client();
        var policy = _pki.ClientPolicy() with { UseSystemTrustStore = true };

        Assert.True(Validate(client, policy).IsValid);
        Assert.Equal(ChainFailureReason.UntrustedRoot, Validate(stranger, policy).Reason);
    }

    [Fact]
    public void Refuses_an_expired_certificate()
    {
        using var client = _pki.Client(change: r => r with { NotBefore = TestPki.Now.AddDays(-10), NotAfter = TestPki.Now.AddDays(-1) });

        var result = Validate(client, _pki.ClientPolicy());

        Assert.Equal(ChainFailureReason.Expired, result.Reason);
        Assert.Contains("expired", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_certificate_that_is_not_yet_valid()
    {
        using var client = _pki.Client(change: r => r with { NotBefore = TestPki.Now.AddDays(1), NotAfter = TestPki.Now.AddDays(10) });

        Assert.Equal(ChainFailureReason.NotYetValid, Validate(client, _pki.ClientPolicy()).Reason);
    }

    [Fact]
    public void Validity_follows_the_time_provider()
    {
        using var client = _pki.Client();
        _pki.Time.Advance(TimeSpan.FromDays(31));

        Assert.Equal(ChainFailureReason.Expired, Validate(client, _pki.ClientPolicy(_pki.Crl()) with { RequireCrl = false }).Reason);
    }

    [Fact]
    public void Refuses_a_server_certificate_presented_as_a_client_certificate()
    {
        using var server = _pki.Server();

        Assert.Equal(ChainFailureReason.EkuMissing, Validate(server, _pki.ClientPolicy()).Reason);
    }

    [Fact]
    public void Refuses_a_client_certificate_presented_as_a_server_certificate()
    {
        using var client = _pki.Client("localhost");

        Assert.Equal(ChainFailureReason.EkuMissing, Validate(client, _pki.ServerPolicy(), "localhost").Reason);
    }

    [Fact]
    public void Refuses_a_leaf_without_any_eku()
    {
        using var leaf = IssueRaw(_pki, eku: null);

        Assert.Equal(ChainFailureReason.EkuMissing, new ChainValidator(_pki.Time).Validate(leaf, [_pki.Intermediate], _pki.ClientPolicy()).Reason);
    }

    [Fact]
    public void Refuses_a_leaf_with_an_unknown_critical_extension()
    {
        using var leaf = IssueRaw(_pki, Oids.ClientAuth, new X509Extension("1.3.6.1.4.1.99999.1", [0x05, 0x00], critical: true));
        using var fine = IssueRaw(_pki, Oids.ClientAuth, new X509Extension("1.3.6.1.4.1.99999.1", [0x05, 0x00], critical: false));
        var policy = _pki.ClientPolicy() with { Revocation = RevocationMode.None };

        Assert.Equal(ChainFailureReason.InvalidExtension, new ChainValidator(_pki.Time).Validate(leaf, [_pki.Intermediate], policy).Reason);
        Assert.True(new ChainValidator(_pki.Time).Validate(fine, [_pki.Intermediate], policy).IsValid);
    }

    [Fact]
    public void Refuses_a_ca_certificate_as_a_peer()
    {
        var result = new ChainValidator(_pki.Time).Validate(_pki.Intermediate, [], _pki.ClientPolicy() with { Revocation = RevocationMode.None });

        Assert.False(result.IsValid);
    }

    [Fact]
    public void Refuses_a_revoked_certificate()
    {
        using var client = _pki.Client();
        using var other = _pki.Client("bob");

        var result = Validate(client, _pki.ClientPolicy(_pki.Crl(client)));

        Assert.Equal(ChainFailureReason.Revoked, result.Reason);
        Assert.True(Validate(other, _pki.ClientPolicy(_pki.Crl(client))).IsValid);
    }

    [Fact]
    public void Refuses_when_no_crl_is_held_and_one_is_required()
    {
        using var client = _pki.Client();
        var policy = _pki.ClientPolicy() with { Crls = [] };

        Assert.Equal(ChainFailureReason.CrlMissing, Validate(client, policy).Reason);
        Assert.True(Validate(client, policy with { RequireCrl = false }).IsValid);
        Assert.True(Validate(client, policy with { Revocation = RevocationMode.None }).IsValid);
    }

    [Fact]
    public void Refuses_when_the_crl_is_stale()
    {
        using var client = _pki.Client(change: r => r with { NotAfter = TestPki.Now.AddDays(30) });
        var policy = _pki.ClientPolicy();
        _pki.Time.Advance(TimeSpan.FromDays(8));

        Assert.Equal(ChainFailureReason.CrlStale, Validate(client, policy).Reason);
    }

    [Fact]
    public void Ignores_a_crl_signed_by_another_ca()
    {
        using var other = new TestPki(name: "Test");
        using var client = _pki.Client();

        Assert.Equal(ChainFailureReason.CrlMissing, Validate(client, _pki.ClientPolicy(other.Crl())).Reason);
    }

    [Fact]
    public void Refuses_a_certificate_outside_the_allow_rules()
    {
        using var alice = _pki.Client("alice", r => r with { Uris = [new Uri("spiffe://example.org/ns/prod/sa/web")] });
        using var bob = _pki.Client("bob");
        var policy = _pki.ClientPolicy() with { AllowRules = new PeerRules().AllowUri("spiffe://example.org/ns/*/sa/web") };

        Assert.True(Validate(alice, policy).IsValid);
        var refused = Validate(bob, policy);
        Assert.Equal(ChainFailureReason.NotAllowed, refused.Reason);
        Assert.Contains("uri=spiffe://example.org/ns/*/sa/web", refused.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_the_server_name_without_falling_back_to_the_cn()
    {
        using var server = _pki.Server("api.example.org", r => r with { CommonName = "other.example.org" });

        Assert.True(Validate(server, _pki.ServerPolicy(), "api.example.org").IsValid);
        Assert.True(Validate(server, _pki.ServerPolicy(), "127.0.0.1").IsValid);
        Assert.Equal(ChainFailureReason.NameMismatch, Validate(server, _pki.ServerPolicy(), "other.example.org").Reason);
        Assert.Equal(ChainFailureReason.NameMismatch, Validate(server, _pki.ServerPolicy(), "127.0.0.2").Reason);
    }

    [Fact]
    public void Pins_add_to_chain_checks()
    {
        using var server = _pki.Server();
        using var other = new TestPki(name: "Other");
        using var untrusted = other.Server();
        var policy = _pki.ServerPolicy();

        Assert.True(Validate(server, policy with { Pins = [SpkiPin.FromCertificate(server.Certificate)] }, "localhost").IsValid);
        Assert.True(Validate(server, policy with { Pins = [SpkiPin.FromCertificate(_pki.Root)] }, "localhost").IsValid);
        Assert.Equal(ChainFailureReason.PinMismatch, Validate(server, policy with { Pins = [SpkiPin.FromCertificate(untrusted.Certificate)] }, "localhost").Reason);
        Assert.Equal(ChainFailureReason.UntrustedRoot, Validate(untrusted, policy with { Pins = [SpkiPin.FromCertificate(untrusted.Certificate)] }, "localhost").Reason);
    }

    [Fact]
    public void Refuses_chains_longer_than_the_policy_allows()
    {
        using var client = _pki.Client();

        Assert.Equal(ChainFailureReason.ChainTooLong, Validate(client, _pki.ClientPolicy() with { MaxChainLength = 2 }).Reason);
    }

    [Fact]
    public void Refuses_a_flood_of_peer_certificates()
    {
        using var client = _pki.Client();
        var flood = Enumerable.Range(0, ChainValidator.MaxPeerCertificates + 1).Select(_ => _pki.Intermediate).ToList();

        Assert.Equal(ChainFailureReason.ChainTooLong, new ChainValidator(_pki.Time).Validate(client.Certificate, flood, _pki.ClientPolicy()).Reason);
    }

    [Fact]
    public void Refuses_a_leaf_with_a_forged_signature()
    {
        using var other = new TestPki(name: "Test");
        using var forged = other.Client();

        // Same issuer name as ours, but signed by another key: the path cannot be verified.
        var result = new ChainValidator(_pki.Time).Validate(forged.Certificate, [_pki.Intermediate], _pki.ClientPolicy());

        Assert.False(result.IsValid);
        Assert.Contains(result.Reason, new[] { ChainFailureReason.BadSignature, ChainFailureReason.UntrustedRoot });
    }

    [Fact]
    public void Explain_reports_every_check_and_agrees_with_validate()
    {
        using var server = _pki.Server("api.example.org", r => r with { NotBefore = TestPki.Now.AddDays(-10), NotAfter = TestPki.Now.AddDays(-1) });
        var policy = _pki.ServerPolicy() with { Pins = [SpkiPin.FromCertificate(_pki.Root)] };

        var report = ChainValidator.ExplainAt(server.Certificate, [server.Issuer], policy, "www.example.org", TestPki.Now);

        Assert.Equal(Validate(server, policy, "www.example.org").Reason, report.Result.Reason);
        Assert.Equal(ChainFailureReason.Expired, report.Result.Reason);
        Assert.Equal(
            ["path to a trust anchor", "chain length", "certificate rules", "purpose", "revocation", "host name", "SPKI pins", "allow-rules"],
            report.Steps.Select(s => s.Check));
        Assert.Equal(
            [ValidationOutcome.Failed, ValidationOutcome.Skipped, ValidationOutcome.Skipped, ValidationOutcome.Passed, ValidationOutcome.Skipped, ValidationOutcome.Failed, ValidationOutcome.Skipped, ValidationOutcome.Passed],
            report.Steps.Select(s => s.Outcome));
        Assert.Equal(ChainFailureReason.NameMismatch, report.Steps[5].Reason);
    }

    private static X509Certificate2 IssueRaw(TestPki pki, string? eku, X509Extension? extra = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=raw", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        if (eku is not null)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], false));
        }

        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("raw");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(pki.Authority.Intermediate, true, false));
        if (extra is not null)
        {
            request.CertificateExtensions.Add(extra);
        }

        return request.Create(pki.Authority.Intermediate, TestPki.Now, TestPki.Now.AddDays(1), [1, 2, 3]);
    }
}
