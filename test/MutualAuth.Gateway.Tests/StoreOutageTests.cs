using System.Net;
using MutualAuth.Authentication;
using MutualAuth.Http;
using MutualAuth.MessageSignatures;
using MutualAuth.Storage;
using MutualAuth.Testing;

namespace MutualAuth.Gateway.Tests;

/// <summary>A store that cannot be used fails closed: 503 with <c>Retry-After</c>, the reason audited, never an accept or a 500.</summary>
public sealed class StoreOutageTests : IDisposable
{
    private const string KeyId = "alice-key";
    private readonly TestPki _pki = new();
    private readonly SignatureTestSetup _setup = new();
    private readonly StoreAvailability _availability = new();

    public StoreOutageTests() => _setup.Register(KeyId, "alice", () => HttpSignatureKey.Hmac(_setup.Secret));

    public void Dispose()
    {
        _setup.Dispose();
        _pki.Dispose();
    }

    private async Task<InProcessGateway> Start(Action<GatewayOptions>? configure = null)
    {
        using var server = _pki.Server();
        return await InProcessGateway.Start(_pki, server, configure: o =>
        {
            _setup.Configure(o, "/=sig", "/tls=mtls");
            o.StoreAvailability = _availability;
            configure?.Invoke(o);
        });
    }

    private HttpClient SignatureClient() => _setup.Client(_pki, KeyId, HttpSignatureKey.Hmac(_setup.Secret));

    [Fact]
    public async Task A_replay_cache_that_fails_gives_503_with_retry_after_and_an_audited_refusal()
    {
        await using var gateway = await Start(o => o.ReplayCache = new FailingReplayCache());
        using var client = SignatureClient();

        var refused = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri(gateway.BaseAddress, "/whoami")));

        Assert.Equal((503, TimeSpan.FromSeconds(2), RefusingParty.Server), (refused.StatusCode, refused.RetryAfter, refused.RefusedBy));
        var audited = Assert.Single(gateway.Audit.ListRecent(10));
        Assert.Equal((AuditDecision.Refuse, "sig", StoreReasons.StoreUnavailable.Value), (audited.Decision, audited.Method, audited.ReasonCode));
    }

    [Fact]
    public async Task While_the_database_is_unreachable_mtls_requests_get_503_and_are_accepted_again_once_it_answers()
    {
        await using var gateway = await Start();
        using var alice = _pki.Client();
        using var client = TestHttpClients.Create(_pki, alice);
        var url = new Uri(gateway.BaseAddress, "/tls/whoami");

        _availability.ReportDatabaseUnreachable();
        using var down = await client.GetAsync(url);
        _availability.ReportDatabaseReachable();
        using var up = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), down.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.NotFound, up.StatusCode); // authenticated: /tls/whoami is no endpoint
        Assert.Contains(gateway.Audit.ListRecent(10), e => e is { Decision: AuditDecision.Refuse, Method: "mtls" } && e.ReasonCode == StoreReasons.StoreUnavailable.Value);
    }

    [Fact]
    public async Task A_full_audit_spool_refuses_requests_without_adding_to_the_audit()
    {
        await using var gateway = await Start();
        using var client = SignatureClient();

        _availability.ReportAuditSpoolFull(true);
        var refused = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri(gateway.BaseAddress, "/whoami")));

        Assert.Equal(503, refused.StatusCode);
        Assert.Empty(gateway.Audit.ListRecent(10));
    }

    private sealed class FailingReplayCache : IReplayCache
    {
        public ValueTask<bool> TryAddAsync(string scope, string value, DateTimeOffset expires, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            throw new StoreException("database down");
    }
}
