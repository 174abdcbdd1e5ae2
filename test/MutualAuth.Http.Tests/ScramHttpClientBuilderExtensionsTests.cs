using Microsoft.Extensions.DependencyInjection;
using MutualAuth.Gateway;
using MutualAuth.Authentication;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Http.Tests;

/// <summary><c>AddMutualTls(…).AddScram(…)</c> through <see cref="IHttpClientFactory"/> against the in-process gateway.</summary>
public sealed class ScramHttpClientBuilderExtensionsTests : IDisposable
{
    private readonly TestPki _pki = new();
    private readonly MemoryScramUserStore _users = new();

    public ScramHttpClientBuilderExtensionsTests() => _users.Add("alice", "correct horse");

    public void Dispose() => _pki.Dispose();

    private async Task<InProcessGateway> Start(string route = "/=scram")
    {
        using var server = _pki.Server();
        return await InProcessGateway.Start(_pki, server, configure: options =>
        {
            options.Routes.Add(GatewayRoute.Parse(route));
            options.ScramUsers = _users;
            options.ScramServerSecret = new byte[32];
        });
    }

    private HttpClient Client(InProcessGateway gateway, string password, out ServiceProvider provider, IssuedCertificate? certificate = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_pki.Time);
        services.AddHttpClient("api", c => c.BaseAddress = gateway.BaseAddress)
            .AddMutualTls(o =>
            {
                o.ServerTrust = _pki.ServerPolicy();
                if (certificate is not null)
                {
                    o.ClientCertificate = TestPki.WithKey(certificate);
                    o.ClientCertificateChain.Add(certificate.Issuer);
                }
            })
            .AddScram(o =>
            {
                o.UserName = "alice";
                o.Password = () => password;

                // Required: only the certificate AddMutualTls verified can make -PLUS possible.
                o.ChannelBinding = ChannelBindingPolicy.Required;
            });
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IHttpClientFactory>().CreateClient("api");
    }

    [Fact]
    public async Task Logs_in_with_plus_bound_to_the_certificate_the_tls_handler_verified()
    {
        await using var gateway = await Start();
        using var client = Client(gateway, "correct horse", out var provider);
        using var _ = provider;

        var body = await client.GetStringAsync(new Uri("/whoami", UriKind.Relative));

        Assert.Contains("\"method\": \"scram\"", body, StringComparison.Ordinal);
        var accepted = Assert.Single(gateway.Audit.ListRecent(10));
        Assert.Equal((AuditDecision.Accept, "alice"), (accepted.Decision, accepted.Subject));
    }

    [Fact]
    public async Task A_wrong_password_is_a_refusal_by_the_server_with_its_reason_code()
    {
        await using var gateway = await Start();
        using var client = Client(gateway, "wrong", out var provider);
        using var _ = provider;

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri("/whoami", UriKind.Relative)));

        Assert.Equal(("scram", "invalid-proof", RefusingParty.Server), (error.Method, error.Reason.Value, error.RefusedBy));
    }

    [Fact]
    public async Task A_route_that_needs_both_gets_the_certificate_and_the_password_from_one_client()
    {
        await using var gateway = await Start("/=mtls+scram");
        using var alice = _pki.Client("alice");
        using var client = Client(gateway, "correct horse", out var provider, alice);
        using var _ = provider;

        var body = await client.GetStringAsync(new Uri("/whoami", UriKind.Relative));

        Assert.Contains("\"subject\": \"alice\"", body, StringComparison.Ordinal);
        Assert.Equal(2, gateway.Audit.ListRecent(10).Count(e => e.Decision == AuditDecision.Accept));
    }

    [Fact]
    public async Task Signatures_added_before_scram_sign_each_round_trip_of_a_scram_plus_sig_route()
    {
        using var signatures = new SignatureTestSetup();
        signatures.Register("alice-key", "alice", () => MutualAuth.MessageSignatures.HttpSignatureKey.Hmac(signatures.Secret));
        using var server = _pki.Server();
        await using var gateway = await InProcessGateway.Start(_pki, server, configure: options =>
        {
            signatures.Configure(options, "/=scram+sig");
            options.ScramUsers = _users;
            options.ScramServerSecret = new byte[32];
        });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_pki.Time);
        services.AddHttpClient("api", c => c.BaseAddress = gateway.BaseAddress)
            .AddMutualTls(o => o.ServerTrust = _pki.ServerPolicy())
            .AddHttpSignatures(o =>
            {
                o.KeyId = "alice-key";
                o.Key = MutualAuth.MessageSignatures.HttpSignatureKey.Hmac(signatures.Secret);
            })
            .AddScram(o =>
            {
                o.UserName = "alice";
                o.Password = () => "correct horse";
            });
        using var provider = services.BuildServiceProvider();
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("api");

        var body = await client.GetStringAsync(new Uri("/whoami", UriKind.Relative));

        Assert.Contains("\"method\": \"scram+sig\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(gateway.Audit.ListRecent(50), e => e.Decision != AuditDecision.Accept);
    }
}
