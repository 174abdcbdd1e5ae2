using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Tests.Certificates;

public sealed class ChainValidationCacheTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Reuses_an_acceptance_for_the_same_chain_and_policy()
    {
        using var alice = _pki.Client();
        var cache = new ChainValidationCache(_pki.Time);
        var policy = _pki.ClientPolicy();

        var first = cache.Validate(alice.Certificate, [alice.Issuer], policy);
        var second = cache.Validate(alice.Certificate, [alice.Issuer], policy);

        Assert.True(first.IsValid);
        Assert.Same(first, second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void A_new_policy_snapshot_with_a_new_crl_takes_effect_at_once()
    {
        using var alice = _pki.Client();
        var cache = new ChainValidationCache(_pki.Time);
        Assert.True(cache.Validate(alice.Certificate, [alice.Issuer], _pki.ClientPolicy()).IsValid);

        var result = cache.Validate(alice.Certificate, [alice.Issuer], _pki.ClientPolicy(_pki.Crl(alice)));

        Assert.Equal(ChainFailureReason.Revoked, result.Reason);
    }

    [Fact]
    public void Refusals_are_not_cached()
    {
        using var other = new TestPki(name: "Other");
        using var stranger = other.Client();
        var cache = new ChainValidationCache(_pki.Time);

        Assert.False(cache.Validate(stranger.Certificate, [stranger.Issuer], _pki.ClientPolicy()).IsValid);

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void An_entry_never_outlives_the_certificate_or_the_crl()
    {
        using var shortLived = _pki.Client(change: r => r with { NotAfter = TestPki.Now.AddMinutes(2) });
        var cache = new ChainValidationCache(_pki.Time);
        var policy = _pki.ClientPolicy();
        Assert.True(cache.Validate(shortLived.Certificate, [shortLived.Issuer], policy).IsValid);

        _pki.Time.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(ChainFailureReason.Expired, cache.Validate(shortLived.Certificate, [shortLived.Issuer], policy).Reason);
    }

    [Fact]
    public void A_different_host_name_is_a_different_entry()
    {
        using var server = _pki.Server("api.example.org");
        var cache = new ChainValidationCache(_pki.Time);
        var policy = _pki.ServerPolicy();

        Assert.True(cache.Validate(server.Certificate, [server.Issuer], policy, "api.example.org").IsValid);
        Assert.Equal(ChainFailureReason.NameMismatch, cache.Validate(server.Certificate, [server.Issuer], policy, "evil.example.org").Reason);
    }
}
