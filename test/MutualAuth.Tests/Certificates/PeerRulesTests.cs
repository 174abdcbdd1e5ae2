using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Tests.Certificates;

public sealed class PeerRulesTests
{
    [Theory]
    [InlineData("*.example.org", "api.example.org", true)]
    [InlineData("*.example.org", "a.b.example.org", false)]
    [InlineData("**.example.org", "a.b.example.org", true)]
    [InlineData("*.example.org", "example.org", false)]
    [InlineData("API.example.org", "api.EXAMPLE.org", true)]
    [InlineData("api?.example.org", "api1.example.org", true)]
    [InlineData("api.example.org", "api.example.org.evil", false)]
    public void Dns_globs_stay_within_a_label_and_ignore_case(string glob, string value, bool expected) =>
        Assert.Equal(expected, new GlobPattern(glob, '.', ignoreCase: true).IsMatch(value));

    [Theory]
    [InlineData("spiffe://example.org/ns/*/sa/web", "spiffe://example.org/ns/prod/sa/web", true)]
    [InlineData("spiffe://example.org/ns/*/sa/web", "spiffe://example.org/ns/a/b/sa/web", false)]
    [InlineData("spiffe://example.org/**", "spiffe://example.org/ns/a/b", true)]
    [InlineData("spiffe://example.org/**", "spiffe://example.org.evil/ns", false)]
    [InlineData("spiffe://example.org/ns/web", "SPIFFE://example.org/ns/web", false)]
    [InlineData("spiffe://example.org/ns/*/sa/bob", "spiffe://example.org/ns//sa/bob", false)]
    [InlineData("spiffe://example.org/ns/web-*", "spiffe://example.org/ns/web-", true)]
    public void Uri_globs_stay_within_a_segment(string glob, string value, bool expected) =>
        Assert.Equal(expected, new GlobPattern(glob, '/', ignoreCase: false).IsMatch(value));

    [Fact]
    public void Matching_a_long_hostile_value_is_fast_and_small()
    {
        var glob = new GlobPattern("**a**a**a**a**a**b", '/', ignoreCase: true);
        var value = new string('a', 100_000);

        Assert.False(glob.IsMatch(value));
    }

    [Fact]
    public void Regex_metacharacters_in_patterns_are_literal()
    {
        Assert.False(new GlobPattern("a.c", null, false).IsMatch("abc"));
        Assert.True(new GlobPattern("(a)+[b]", null, false).IsMatch("(a)+[b]"));
    }

    [Fact]
    public void Any_matching_rule_allows_and_no_rule_allows_everyone()
    {
        using var pki = new TestPki();
        using var alice = pki.Client("alice", r => r with { OrganizationalUnit = "payments" });
        using var bob = pki.Client("bob");

        Assert.True(PeerRules.AllowAny.Allows(bob.Certificate));
        Assert.True(new PeerRules().AllowCommonName("ali*").Allows(alice.Certificate));
        Assert.True(new PeerRules().AllowOrganizationalUnit("payments").Allows(alice.Certificate));
        Assert.True(new PeerRules().AllowCommonName("nobody").AllowDnsName("bob").Allows(bob.Certificate));
        Assert.False(new PeerRules().AllowOrganizationalUnit("payments").Allows(bob.Certificate));
        Assert.False(new PeerRules().AllowUri("spiffe://**").Allows(bob.Certificate));
    }
}
