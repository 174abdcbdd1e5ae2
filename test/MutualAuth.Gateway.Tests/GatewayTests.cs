using MutualAuth.Authentication;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Gateway.Tests;

public sealed class GatewayTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private HttpClient Client(IssuedCertificate client) => TestHttpClients.Create(_pki, client);

    [Fact]
    public async Task Whoami_returns_the_identity_and_the_accept_is_audited()
    {
        using var server = _pki.Server();
        using var alice = _pki.Client("alice", r => r with { Uris = [new Uri("spiffe://example.org/ns/a/sa/alice")] });
        await using var gateway = await InProcessGateway.Start(_pki, server);
        using var client = Client(alice);

        var body = await client.GetStringAsync(new Uri(gateway.BaseAddress, "/whoami"));

        Assert.Contains("\"subject\": \"spiffe://example.org/ns/a/sa/alice\"", body, StringComparison.Ordinal);
        var accepted = Assert.Single(gateway.Audit.ListRecent(10));
        Assert.Equal(AuditDecision.Accept, accepted.Decision);
        Assert.Equal(SerialNumbers.Normalize(alice.Certificate.SerialNumber), accepted.CredentialId);
        Assert.StartsWith("127.0.0.1:", accepted.PeerAddress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_client_is_audited_with_the_reason_and_no_key_material()
    {
        using var server = _pki.Server();
        using var revoked = _pki.Client("mallory");
        var crl = _pki.Crl(revoked);
        await using var gateway = await InProcessGateway.Start(_pki, server, () => _pki.ClientPolicy(crl));
        using var client = Client(revoked);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetStringAsync(new Uri(gateway.BaseAddress, "/whoami")));

        // HttpClient may retry the connection; every attempt is refused and audited.
        var events = gateway.Audit.ListRecent(10);
        Assert.NotEmpty(events);
        Assert.All(events, refused =>
        {
            Assert.Equal(AuditDecision.Refuse, refused.Decision);
            Assert.Equal("revoked", refused.ReasonCode);
            Assert.Equal(SerialNumbers.Normalize(revoked.Certificate.SerialNumber), refused.CredentialId);
            Assert.DoesNotContain("PRIVATE KEY", refused.Detail ?? "", StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_new_trust_policy_applies_to_the_next_handshake()
    {
        using var server = _pki.Server();
        using var alice = _pki.Client();
        var policy = _pki.ClientPolicy();
        await using var gateway = await InProcessGateway.Start(_pki, server, () => policy);

        using (var first = Client(alice))
        {
            Assert.Contains("alice", await first.GetStringAsync(new Uri(gateway.BaseAddress, "/whoami")), StringComparison.Ordinal);
        }

        policy = _pki.ClientPolicy(_pki.Crl(alice));
        using var second = Client(alice);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => second.GetStringAsync(new Uri(gateway.BaseAddress, "/whoami")));
    }
}
