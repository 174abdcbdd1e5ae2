using System.Security.Claims;
using MutualAuth.Authentication;
using MutualAuth.Testing;

namespace MutualAuth.Tests.Authentication;

public sealed class MutualIdentityTests
{
    [Fact]
    public void The_spiffe_id_is_the_subject_and_every_san_becomes_a_claim()
    {
        using var pki = new TestPki();
        using var client = pki.Client("web", r => r with { Uris = [new Uri("spiffe://example.org/ns/prod/sa/web")], EmailAddresses = ["web@example.org"] });

        var identity = MutualIdentity.FromCertificate(client.Certificate);
        var principal = identity.ToClaimsPrincipal("MutualTls", "test");

        Assert.Equal("spiffe://example.org/ns/prod/sa/web", identity.Subject);
        Assert.Equal("mtls", identity.Method);
        Assert.Equal(["swk"], identity.Amr);
        Assert.Equal("spiffe://example.org/ns/prod/sa/web", principal.FindFirst("sub")?.Value);
        Assert.Equal("web", principal.FindFirst(MutualClaimTypes.DnsName)?.Value);
        Assert.Equal("web@example.org", principal.FindFirst(ClaimTypes.Email)?.Value);
        Assert.Equal(identity.CredentialId, principal.FindFirst(MutualClaimTypes.CredentialId)?.Value);
    }

    [Fact]
    public void Without_a_uri_the_cn_is_the_subject()
    {
        using var pki = new TestPki();
        using var client = pki.Client("alice");

        Assert.Equal("alice", MutualIdentity.FromCertificate(client.Certificate).Subject);
    }
}
