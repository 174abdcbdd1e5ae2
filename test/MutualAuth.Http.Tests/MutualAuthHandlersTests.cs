using System.Net;
using MutualAuth.Gateway;
using MutualAuth.Authentication;
using MutualAuth.Certificates;
using MutualAuth.MessageSignatures;
using MutualAuth.Testing;

namespace MutualAuth.Http.Tests;

/// <summary>The handler chain <c>mutualauth call</c> uses, built by <see cref="MutualAuthHandlers"/>.</summary>
public sealed class MutualAuthHandlersTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task Scram_binds_to_the_verified_server_certificate_with_no_wiring_by_the_caller()
    {
        var users = new MemoryScramUserStore();
        users.Add("alice", "correct horse");
        using var server = _pki.Server();
        await using var gateway = await InProcessGateway.Start(_pki, server, configure: options =>
        {
            options.Routes.Add(GatewayRoute.Parse("/=scram"));
            options.ScramUsers = users;
            options.ScramServerSecret = new byte[32];
        });
        var scram = new ScramClientOptions { UserName = "alice", Password = () => "correct horse", ChannelBinding = ChannelBindingPolicy.Required };
        using var client = new HttpClient(MutualAuthHandlers.Create(new MutualTlsClientOptions { ServerTrust = _pki.ServerPolicy() }, scram, timeProvider: _pki.Time));

        using var response = await client.GetAsync(new Uri(gateway.BaseAddress, "/whoami"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_scram_plus_sig_route_gets_a_fresh_signature_on_every_scram_round_trip()
    {
        // Regression: the signature handler signed once outside SCRAM, so each round trip resent the same nonce and the
        // server refused the login's second step as replayed-nonce.
        var users = new MemoryScramUserStore();
        users.Add("alice", "correct horse");
        using var signatures = new SignatureTestSetup();
        using var clientKey = HttpSignatureKey.Hmac(signatures.Secret);
        signatures.Register("alice-key", "alice", () => HttpSignatureKey.Hmac(signatures.Secret));
        using var server = _pki.Server();
        await using var gateway = await InProcessGateway.Start(_pki, server, configure: options =>
        {
            signatures.Configure(options, "/=scram+sig");
            options.ScramUsers = users;
            options.ScramServerSecret = new byte[32];
        });
        var scram = new ScramClientOptions { UserName = "alice", Password = () => "correct horse" };
        var signing = new HttpSignatureClientOptions { KeyId = "alice-key", Key = clientKey, TimeProvider = _pki.Time };
        using var client = new HttpClient(MutualAuthHandlers.Create(new MutualTlsClientOptions { ServerTrust = _pki.ServerPolicy() }, scram, signing, _pki.Time));

        using var response = await client.PostAsync(new Uri(gateway.BaseAddress, "/whoami"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.DoesNotContain(gateway.Audit.ListRecent(50), e => e.ReasonCode == SignatureReasons.ReplayedNonce.Value);
        Assert.Contains(gateway.Audit.ListRecent(50), e => e.Method == "scram" && e.Decision == AuditDecision.Accept);
    }

    [Fact]
    public async Task A_handler_that_resends_the_same_request_gets_a_new_signature_each_time_and_others_signatures_stay()
    {
        using var signatures = new SignatureTestSetup();
        using var clientKey = HttpSignatureKey.Hmac(signatures.Secret);
        signatures.Register("alice-key", "alice", () => HttpSignatureKey.Hmac(signatures.Secret));
        using var server = _pki.Server();
        await using var gateway = await InProcessGateway.Start(_pki, server, configure: options => signatures.Configure(options, "/=sig"));
        var recorder = new RecordSignatureInput { InnerHandler = MutualTlsHttpHandler.Create(new MutualTlsClientOptions { ServerTrust = _pki.ServerPolicy() }, _pki.Time) };
        var handler = new HttpSignatureHandler(new HttpSignatureClientOptions { KeyId = "alice-key", Key = clientKey, TimeProvider = _pki.Time })
        {
            InnerHandler = new SendTwice { InnerHandler = new SignOnSendHandler { InnerHandler = recorder } },
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/whoami"));
        request.Headers.TryAddWithoutValidation("Signature-Input", "proxy=(\"@method\");keyid=\"proxy\"");
        request.Headers.TryAddWithoutValidation("Signature", "proxy=:AAAA:");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, recorder.Sent.Count);
        Assert.Equal(2, recorder.Sent.Distinct().Count());
        Assert.All(recorder.Sent, fields => Assert.Matches("^proxy=.*, sig1=[^,]*$", fields));
        Assert.DoesNotContain(gateway.Audit.ListRecent(50), e => e.Decision != AuditDecision.Accept);
    }

    /// <summary>Sends the same request instance twice and returns the second response, as a retry handler does.</summary>
    private sealed class SendTwice : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            (await base.SendAsync(request, cancellationToken)).Dispose();
            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Records the Signature-Input fields of each transmission.</summary>
    private sealed class RecordSignatureInput : DelegatingHandler
    {
        public List<string> Sent { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent.Add(string.Join(", ", request.Headers.GetValues("Signature-Input")));
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task A_refused_server_is_one_exception_with_method_reason_and_the_refusing_side()
    {
        using var other = new TestPki(name: "Other");
        using var server = other.Server();
        await using var gateway = await InProcessGateway.Start(_pki, server);
        using var client = new HttpClient(MutualAuthHandlers.Create(new MutualTlsClientOptions { ServerTrust = _pki.ServerPolicy() }, timeProvider: _pki.Time));

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri(gateway.BaseAddress, "/whoami")));

        Assert.Equal(("mtls", ChainFailureReason.UntrustedRoot.ToCode(), RefusingParty.Client), (error.Method, error.Reason.Value, error.RefusedBy));
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Null(error.RetryAfter);
    }
}
