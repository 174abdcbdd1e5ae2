using System.Net;
using MutualAuth.Gateway;
using MutualAuth.Certificates;
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
