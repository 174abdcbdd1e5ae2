using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Tests.Certificates;

public sealed class HostNameMatcherTests
{
    [Theory]
    [InlineData("*.example.org", "api.example.org", true)]
    [InlineData("*.example.org", "API.Example.Org.", true)]
    [InlineData("*.example.org", "example.org", false)]
    [InlineData("*.example.org", "a.b.example.org", false)]
    [InlineData("*.org", "example.org", false)]
    [InlineData("a*.example.org", "ab.example.org", false)]
    [InlineData("api.example.org", "api.example.org", true)]
    [InlineData("api.example.org", "www.example.org", false)]
    public void Dns_names_follow_rfc_6125(string presented, string reference, bool expected)
    {
        // Made without our CA, which refuses to issue names like '*.org' or 'a*.example.org' at all.
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=x", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddDnsName(presented);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(TestPki.Now, TestPki.Now.AddDays(1));

        Assert.Equal(expected, HostNameMatcher.Matches(certificate, reference));
    }

    [Theory]
    [InlineData("spiffe://example.org/ns/prod/sa/api", true)]
    [InlineData("spiffe://example.org/ns/prod/sa/ap", false)]
    [InlineData("spiffe://example.org/ns/prod/sa/api/", false)]
    public void Uri_references_match_uri_sans_exactly(string reference, bool expected)
    {
        using var pki = new TestPki();
        using var server = pki.Server("api", r => r with { Uris = [new Uri("spiffe://example.org/ns/prod/sa/api")] });

        Assert.Equal(expected, HostNameMatcher.Matches(server.Certificate, reference));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]", false)]
    [InlineData("127.0.0.2", false)]
    public void Ip_addresses_match_ip_sans_only(string reference, bool expected)
    {
        using var pki = new TestPki();
        using var server = pki.Server("localhost");

        Assert.Equal(expected, HostNameMatcher.Matches(server.Certificate, reference));
    }
}
