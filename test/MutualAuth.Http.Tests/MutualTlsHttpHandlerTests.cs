using Microsoft.Extensions.DependencyInjection;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Http.Tests;

public sealed class MutualTlsHttpHandlerTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private HttpClient Client(IssuedCertificate client, TrustPolicy serverTrust) => TestHttpClients.Create(_pki, client, serverTrust);

    [Fact]
    public async Task Works_through_IHttpClientFactory()
    {
        using var server = _pki.Server();
        using var alice = _pki.Client();
        await using var gateway = await InProcessGateway.Start(_pki, server);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_pki.Time);
        services.AddHttpClient("api", c => c.BaseAddress = gateway.BaseAddress).AddMutualTls(o =>
        {
            o.ClientCertificate = TestPki.WithKey(alice);
            o.ClientCertificateChain.Add(alice.Issuer);
            o.ServerTrust = _pki.ServerPolicy();
        });
        using var provider = services.BuildServiceProvider();

        var body = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("api").GetStringAsync("/whoami");

        Assert.Contains("\"subject\": \"alice\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Keeps_no_cookies_so_a_scram_session_is_reused_only_when_asked()
    {
        using var alice = _pki.Client();
        using var handler = MutualTlsHttpHandler.Create(new MutualTlsClientOptions { ClientCertificate = TestPki.WithKey(alice), ServerTrust = _pki.ServerPolicy() }, _pki.Time);

        Assert.False(handler.UseCookies);
    }

    [Fact]
    public async Task Refuses_a_server_from_an_untrusted_ca()
    {
        using var other = new TestPki(name: "Other");
        using var server = other.Server();
        using var alice = _pki.Client();
        await using var gateway = await InProcessGateway.Start(_pki, server);
        using var client = Client(alice, _pki.ServerPolicy());

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri(gateway.BaseAddress, "/whoami")));

        Assert.Equal(ChainFailureReason.UntrustedRoot.ToCode(), error.Reason.Value);
    }

    [Fact]
    public async Task Refuses_a_server_that_does_not_carry_the_expected_name()
    {
        using var server = _pki.Server("api.example.org");
        using var alice = _pki.Client();
        await using var gateway = await InProcessGateway.Start(_pki, server);
        using var client = Client(alice, _pki.ServerPolicy());

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri(gateway.BaseAddress, "/whoami")));

        Assert.Equal(ChainFailureReason.NameMismatch.ToCode(), error.Reason.Value);
        Assert.Contains("api.example.org", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_pin_mismatch_even_when_the_chain_is_valid()
    {
        using var server = _pki.Server();
        using var alice = _pki.Client();
        await using var gateway = await InProcessGateway.Start(_pki, server);
        using var client = Client(alice, _pki.ServerPolicy() with { Pins = [SpkiPin.FromCertificate(alice.Certificate)] });

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri(gateway.BaseAddress, "/whoami")));

        Assert.Equal(ChainFailureReason.PinMismatch.ToCode(), error.Reason.Value);
    }

    [Fact]
    public async Task Refuses_an_expired_server_certificate()
    {
        using var server = _pki.Server(change: r => r with { NotBefore = TestPki.Now.AddDays(-30), NotAfter = TestPki.Now.AddDays(-1) });
        using var alice = _pki.Client();
        await using var gateway = await InProcessGateway.Start(_pki, server);
        using var client = Client(alice, _pki.ServerPolicy());

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri(gateway.BaseAddress, "/whoami")));

        Assert.Equal(ChainFailureReason.Expired.ToCode(), error.Reason.Value);
    }

    [Fact]
    public void Options_with_a_keyless_certificate_or_without_trust_anchors_are_refused()
    {
        using var alice = _pki.Client();
        Assert.Throws<InvalidOperationException>(() => MutualTlsHttpHandler.Create(new MutualTlsClientOptions { ClientCertificate = alice.Certificate, ServerTrust = _pki.ServerPolicy() }, _pki.Time));
        Assert.Throws<InvalidOperationException>(() => MutualTlsHttpHandler.Create(new MutualTlsClientOptions { ClientCertificate = TestPki.WithKey(alice) }, _pki.Time));
    }

    [Fact]
    public async Task Without_a_client_certificate_the_server_is_still_verified_and_a_certificate_route_refuses()
    {
        using var server = _pki.Server();
        using var wrongName = _pki.Server("other.example");
        await using var gateway = await InProcessGateway.Start(_pki, server);
        using var client = TestHttpClients.ServerOnly(_pki);

        // Handshakes without a certificate fail on a gateway that needs one everywhere.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync(new Uri(gateway.BaseAddress, "/whoami")));
        await using var impostor = await InProcessGateway.Start(_pki, wrongName);
        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri(impostor.BaseAddress, "/whoami")));
        Assert.Equal(ChainFailureReason.NameMismatch.ToCode(), error.Reason.Value);
    }
}
