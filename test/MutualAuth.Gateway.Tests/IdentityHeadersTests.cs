using Microsoft.AspNetCore.Http;
using MutualAuth.Authentication;
using MutualAuth.Certificates;

namespace MutualAuth.Gateway.Tests;

public sealed class IdentityHeadersTests
{
    private readonly IdentityHeaders _headers = new("X-MutualAuth-");

    [Fact]
    public void Strips_every_header_that_could_pass_for_one_the_gateway_sets()
    {
        var headers = new HeaderDictionary
        {
            ["X-MutualAuth-Subject"] = "admin",
            ["x-mutualauth-anything"] = "1",
            ["X_MutualAuth_Uri"] = "spiffe://example.org/admin",
            ["X-Forwarded-Client-Cert"] = "forged",
            ["X_Forwarded_For"] = "10.0.0.1",
            ["Forwarded"] = "for=10.0.0.1",
            ["Accept"] = "*/*",
            ["X-MutualAuthority"] = "kept: another prefix",
        };

        _headers.Strip(headers);

        Assert.Equal(["Accept", "X-MutualAuthority"], headers.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bad Prefix:")]
    [InlineData("X_Under_")]
    public void Invalid_prefixes_are_refused(string prefix) => Assert.Throws<ArgumentException>(() => new IdentityHeaders(prefix));

    [Fact]
    public void Encodes_values_outside_printable_ascii_and_separators()
    {
        var identity = new MutualIdentity
        {
            Subject = "Zoë, admin",
            Method = "mtls",
            CredentialId = "0A",
            Amr = ["swk"],
            Evidence = new CertificateEvidence("CN=Zoë", "CN=CA", DateTimeOffset.UnixEpoch,
                new SubjectAlternativeNames { DnsNames = ["a.example", "b.example"], Uris = ["spiffe://example.org/x"] }),
        };

        var values = _headers.For(identity).ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal("Zo%C3%AB%2C admin", values["X-MutualAuth-Subject"]);
        Assert.Equal("a.example,b.example", values["X-MutualAuth-Dns"]);
        Assert.Equal("spiffe://example.org/x", values["X-MutualAuth-Uri"]);
        Assert.False(values.ContainsKey("X-MutualAuth-Ip"));
    }

    [Fact]
    public void Each_method_of_a_combined_route_gets_its_own_subject_and_credential_headers()
    {
        var identity = new MutualIdentity
        {
            Subject = "alice-laptop",
            Method = "mtls+scram",
            CredentialId = "0A",
            Factors = [new AuthenticationFactor("mtls", "alice-laptop", "0A"), new AuthenticationFactor("scram", "alice, ops", "alice, ops")],
        };

        var values = _headers.For(identity).ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal("alice-laptop", values["X-MutualAuth-Subject"]);
        Assert.Equal("alice-laptop", values["X-MutualAuth-Subject-Mtls"]);
        Assert.Equal("0A", values["X-MutualAuth-Credential-Mtls"]);
        Assert.Equal("alice%2C ops", values["X-MutualAuth-Subject-Scram"]);
        Assert.Equal("alice%2C ops", values["X-MutualAuth-Credential-Scram"]);
    }

    [Fact]
    public void A_single_method_adds_no_per_method_headers()
    {
        var values = _headers.For(new MutualIdentity { Subject = "alice", Method = "scram", CredentialId = "alice" }).Select(p => p.Key);

        Assert.DoesNotContain(values, k => k.StartsWith("X-MutualAuth-Subject-", StringComparison.Ordinal));
    }
}
