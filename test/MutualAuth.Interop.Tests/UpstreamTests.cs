using System.Net;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

[Collection(GatewayTests.Name)]
public sealed class UpstreamTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Accepted_requests_reach_the_upstream_with_identity_headers_the_client_cannot_forge()
    {
        var upstreamPort = Tool.FreePort();
        using var upstream = new HttpListener();
        upstream.Prefixes.Add($"http://127.0.0.1:{upstreamPort}/");
        upstream.Start();
        var received = Task.Run(async () =>
        {
            var context = await upstream.GetContextAsync();
            var headers = context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var path = context.Request.Url!.PathAndQuery;
            context.Response.StatusCode = 200;
            await context.Response.OutputStream.WriteAsync("upstream says hi"u8.ToArray());
            context.Response.Close();
            return (headers, path);
        });
        await using var gateway = await ServeProcess.Start(fixture.DataDirectory, "--upstream", $"http://127.0.0.1:{upstreamPort}");
        var alice = fixture.Identity("alice");

        var result = await Tool.Run("curl", ["-sS", "--max-time", "20", "--cacert", fixture.RootPath, "--cert", alice.ChainPath, "--key", alice.KeyPath,
            "-H", "X-MutualAuth-Subject: admin", "-H", "x-mutualauth-role: root", "-H", "X-Forwarded-For: 10.0.0.1",
            "-H", "X_MutualAuth_Ou: admins", "-H", "X-Forwarded-Client-Cert: forged", gateway.Url("/api/orders?id=7")]);

        Assert.True(result.ExitCode == 0, result + gateway.Output);
        Assert.Equal("upstream says hi", result.StdOut);
        var (headers, path) = await received.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("/api/orders?id=7", path);
        Assert.Equal(GatewayFixture.AliceUri, headers["X-MutualAuth-Subject"]);
        Assert.Equal("mtls", headers["X-MutualAuth-Method"]);
        Assert.Equal(fixture.Serials["alice"], headers["X-MutualAuth-Credential"]);
        Assert.Equal(GatewayFixture.AliceUri, headers["X-MutualAuth-Uri"]);
        Assert.False(headers.ContainsKey("X-MutualAuth-Role"));
        Assert.DoesNotContain(headers.Keys, k => k.Replace('_', '-').StartsWith("X-MutualAuth-Ou", StringComparison.OrdinalIgnoreCase));
        Assert.False(headers.ContainsKey("X-Forwarded-Client-Cert"));
        Assert.Equal("https", headers["X-Forwarded-Proto"]);
        Assert.Equal("127.0.0.1", headers["X-Forwarded-For"]);
    }
}
