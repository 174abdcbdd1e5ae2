using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.Authentication;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.AspNetCore.Tests.Authentication;

/// <summary>The scheme in an ordinary ASP.NET Core app, without the gateway's handshake validation.</summary>
public sealed class MutualTlsHandlerTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private async Task<(WebApplication App, Uri Address, List<string> Failures)> StartApp(IssuedCertificate server)
    {
        var failures = new List<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<TimeProvider>(_pki.Time);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(h =>
        {
            h.ServerCertificate = TestPki.WithKey(server);
            h.ServerCertificateChain = [server.Issuer];
            h.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            h.AllowAnyClientCertificate();
        })));
        builder.Services.AddAuthentication(MutualTlsDefaults.AuthenticationScheme).AddMutualTls(o =>
        {
            // Kestrel exposes only the leaf to the handler, so the intermediate is configured here.
            o.TrustPolicy = () => _pki.ClientPolicy() with { Intermediates = [_pki.Intermediate] };
            o.Events.OnValidated = context =>
            {
                ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim("role", "reader"));
                return Task.CompletedTask;
            };
            o.Events.OnFailed = context =>
            {
                failures.Add(context.Validation.Code);
                return Task.CompletedTask;
            };
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", (ClaimsPrincipal user) => $"{user.FindFirst("sub")?.Value} {user.FindFirst("role")?.Value}").RequireAuthorization();
        app.MapGet("/identity", (HttpContext context) => context.GetMutualIdentity() is { Evidence: CertificateEvidence certificate } identity
            ? $"{identity.Method} {certificate.DistinguishedName}"
            : "none").RequireAuthorization();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)), failures);
    }

    private HttpClient Client(IssuedCertificate client) => TestHttpClients.Create(_pki, client);

    [Fact]
    public async Task Authenticates_a_valid_certificate_and_runs_OnValidated()
    {
        using var server = _pki.Server();
        using var alice = _pki.Client();
        var (app, address, _) = await StartApp(server);
        await using (app)
        {
            using var client = Client(alice);

            Assert.Equal("alice reader", await client.GetStringAsync(new Uri(address, "/me")));
        }
    }

    [Fact]
    public async Task Refuses_an_untrusted_certificate_with_a_generic_403_and_runs_OnFailed()
    {
        using var server = _pki.Server();
        using var other = new TestPki(name: "Other");
        using var eve = other.Client("eve");
        var (app, address, failures) = await StartApp(server);
        await using (app)
        {
            using var client = Client(eve);

            var response = await client.GetAsync(new Uri(address, "/me"));

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("", await response.Content.ReadAsStringAsync());
            Assert.Equal(["untrusted-root"], failures);
        }
    }

    [Fact]
    public async Task The_endpoint_reads_the_identity_and_its_certificate_evidence_from_the_request_feature()
    {
        using var server = _pki.Server();
        using var alice = _pki.Client();
        var (app, address, _) = await StartApp(server);
        await using (app)
        {
            using var client = Client(alice);

            Assert.Equal($"mtls {alice.Certificate.Subject}", await client.GetStringAsync(new Uri(address, "/identity")));
        }
    }

    [Fact]
    public void Options_without_a_trust_policy_do_not_validate()
    {
        Assert.Throws<InvalidOperationException>(() => new MutualTlsOptions().Validate());
    }
}
