using Microsoft.Extensions.DependencyInjection;
using MutualAuth.MessageSignatures;
using MutualAuth.Testing;

namespace MutualAuth.Http.Tests;

/// <summary><c>AddMutualTls(…).AddHttpSignatures(…)</c> through <see cref="IHttpClientFactory"/> against the in-process gateway.</summary>
public sealed class HttpSignatureHttpClientBuilderExtensionsTests : IDisposable
{
    private const string KeyId = "alice-key";
    private readonly TestPki _pki = new();
    private readonly SignatureTestSetup _setup = new();

    public HttpSignatureHttpClientBuilderExtensionsTests() => _setup.Register(KeyId, "alice", () => HttpSignatureKey.Hmac(_setup.Secret));

    public void Dispose()
    {
        _setup.Dispose();
        _pki.Dispose();
    }

    private async Task<InProcessGateway> Start()
    {
        using var server = _pki.Server();
        return await InProcessGateway.Start(_pki, server, configure: o => _setup.Configure(o));
    }

    private HttpClient Client(InProcessGateway gateway, string keyId, out ServiceProvider provider)
    {
        var services = new ServiceCollection();

        // The gateway runs on the test clock: signatures verify only if the handler takes the registered TimeProvider.
        services.AddSingleton<TimeProvider>(_pki.Time);
        services.AddHttpClient("api", c => c.BaseAddress = gateway.BaseAddress)
            .AddMutualTls(o => o.ServerTrust = _pki.ServerPolicy())
            .AddHttpSignatures(o =>
            {
                o.KeyId = keyId;
                o.Key = HttpSignatureKey.Hmac(_setup.Secret);
            });
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IHttpClientFactory>().CreateClient("api");
    }

    [Fact]
    public async Task Signs_requests_and_accepts_the_response_signed_for_them()
    {
        await using var gateway = await Start();
        using var client = Client(gateway, KeyId, out var provider);
        using var _ = provider;

        var body = await client.GetStringAsync(new Uri("/whoami", UriKind.Relative));

        Assert.Contains("\"method\": \"sig\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_key_is_a_refusal_by_the_server()
    {
        await using var gateway = await Start();
        using var client = Client(gateway, "unknown-key", out var provider);
        using var _ = provider;

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri("/whoami", UriKind.Relative)));

        Assert.Equal(("sig", "refused-by-server", RefusingParty.Server), (error.Method, error.Reason.Value, error.RefusedBy));
    }
}
