using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MutualAuth.Testing;

namespace MutualAuth.Gateway.Tests;

/// <summary>Routes of method <c>none</c>: no authentication, no identity, nothing forwarded as identity.</summary>
public sealed class AnonymousRouteTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private async Task<InProcessGateway> Start(Uri? upstream, params string[] routes)
    {
        using var server = _pki.Server();
        return await InProcessGateway.Start(_pki, server, upstream: upstream, configure: o =>
        {
            foreach (var route in routes)
            {
                o.Routes.Add(GatewayRoute.Parse(route));
            }
        });
    }

    [Fact]
    public async Task A_none_route_reaches_the_upstream_without_authentication()
    {
        await using var upstream = await HeaderRecordingUpstream.Start();
        await using var gateway = await Start(upstream.Address, "/health=none");
        using var client = TestHttpClients.ServerOnly(_pki);

        using var response = await client.GetAsync(new Uri(gateway.BaseAddress, "/health/ready"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"ok\":true}", await response.Content.ReadAsStringAsync());
        Assert.Equal("/health/ready", Assert.Single(upstream.Requests).Path);
        Assert.Empty(gateway.Audit.ListRecent(10));
    }

    [Fact]
    public async Task Paths_outside_the_none_route_still_need_their_methods()
    {
        await using var upstream = await HeaderRecordingUpstream.Start();
        await using var gateway = await Start(upstream.Address, "/health=none");
        using var client = TestHttpClients.ServerOnly(_pki);

        using var healthy = await client.GetAsync(new Uri(gateway.BaseAddress, "/health"));
        using var other = await client.GetAsync(new Uri(gateway.BaseAddress, "/healthz"));

        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task No_identity_headers_are_sent_upstream_and_client_sent_ones_are_stripped()
    {
        await using var upstream = await HeaderRecordingUpstream.Start();
        await using var gateway = await Start(upstream.Address, "/=none");
        using var alice = _pki.Client("alice");
        using var client = TestHttpClients.Create(_pki, alice);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/data"));
        request.Headers.TryAddWithoutValidation("X-MutualAuth-Subject", "admin");
        request.Headers.TryAddWithoutValidation("x_mutualauth_method", "mtls");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "10.0.0.1");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=10.0.0.1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var headers = Assert.Single(upstream.Requests).Headers;
        Assert.DoesNotContain(headers.Keys, k => k.Replace('_', '-').StartsWith("X-MutualAuth-", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("Forwarded", headers.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("127.0.0.1", headers["X-Forwarded-For"]);
    }

    [Fact]
    public async Task Whoami_on_a_none_route_answers_403_even_with_a_valid_certificate()
    {
        await using var gateway = await Start(upstream: null, "/=none");
        using var alice = _pki.Client("alice");
        using var withCertificate = TestHttpClients.Create(_pki, alice);
        using var without = TestHttpClients.ServerOnly(_pki);

        foreach (var client in new[] { withCertificate, without })
        {
            using var response = await client.GetAsync(new Uri(gateway.BaseAddress, "/whoami"));

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("No identity", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_signature_sent_to_a_none_route_is_not_verified_and_the_response_is_not_signed()
    {
        using var setup = new SignatureTestSetup();
        using var server = _pki.Server();
        await using var upstream = await HeaderRecordingUpstream.Start();
        await using var gateway = await InProcessGateway.Start(_pki, server, upstream: upstream.Address, configure: o => setup.Configure(o, "/open=none", "/signed=sig"));
        using var client = TestHttpClients.ServerOnly(_pki);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/open/x"));
        request.Headers.TryAddWithoutValidation("Signature-Input", "sig1=(\"@method\");keyid=\"nobody\";tag=\"mutualauth\"");
        request.Headers.TryAddWithoutValidation("Signature", "sig1=:AAAA:");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Signature"));
        Assert.Empty(gateway.Audit.ListRecent(10));
    }

    /// <summary>An HTTP upstream on a free loopback port that records each request's path and headers and answers a small JSON body.</summary>
    private sealed class HeaderRecordingUpstream : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private HeaderRecordingUpstream(WebApplication app) => _app = app;

        public ConcurrentQueue<(string Path, Dictionary<string, string> Headers)> Requests { get; } = new();

        public Uri Address { get; private set; } = null!;

        public static async Task<HeaderRecordingUpstream> Start()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var upstream = new HeaderRecordingUpstream(app);
            app.Run(async context =>
            {
                upstream.Requests.Enqueue((context.Request.Path.Value!, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"ok\":true}");
            });
            await app.StartAsync();
            upstream.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            return upstream;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
