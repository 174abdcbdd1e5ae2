using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MutualAuth.Gateway.Tokens;
using MutualAuth.Keys;
using MutualAuth.Testing;
using MutualAuth.Tokens;

namespace MutualAuth.Gateway.Tests.Tokens;

/// <summary>One gateway with the authorization server for a test class: a private_key_jwt client and an mTLS client.</summary>
public sealed class TokenServerFixture : IAsyncLifetime
{
    public const string KeyClient = "svc";
    public const string MtlsClient = "alice";

    internal TestPki Pki { get; } = new();

    public SoftwareSigningKey ClientKey { get; } = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);

    public SoftwareSigningKey ServerKey { get; } = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);

    /// <summary>An external authorization server (<c>serve --token-issuer</c>) whose documents the fixture serves from memory.</summary>
    public const string ExternalIssuer = "https://idp.example";

    public SoftwareSigningKey ExternalKey { get; } = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);

    internal ExternalIssuerKeys External { get; private set; } = null!;

    internal MemoryReplayCache ReplayCache { get; } = new();

    internal InProcessGateway Gateway { get; private set; } = null!;

    public Uri Issuer { get; private set; } = null!;

    /// <summary>The authorization server's token keys; a test may rotate them (and must put them back).</summary>
    internal TokenSigningKeys SigningKeys { get; set; } = null!;

    public async Task InitializeAsync()
    {
        // The issuer is the public URL, so the port is chosen before the server starts.
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        Issuer = new Uri($"https://localhost:{port}");
        using var jwkDocument = JsonDocument.Parse(Jwk(ClientKey, "k1"));
        var clientJwk = PublicJwk.Parse(jwkDocument.RootElement.Clone()).Value!;
        var clients = new Dictionary<string, ClientRegistration>
        {
            [KeyClient] = new(KeyClient, ClientAuthenticationMethod.PrivateKeyJwt, [clientJwk], new HashSet<string> { "ES256" }, ["read", "write"]),
            [MtlsClient] = new(MtlsClient, ClientAuthenticationMethod.TlsClientAuth, [], new HashSet<string>(), ["read"]),
        };
        SigningKeys = new TokenSigningKeys("as-1", ServerKey, [("as-1", ServerKey)]);
        var documents = new Dictionary<string, string>
        {
            [ExternalIssuer + "/.well-known/oauth-authorization-server"] = $$"""{"issuer":"{{ExternalIssuer}}","jwks_uri":"{{ExternalIssuer}}/jwks"}""",
            [ExternalIssuer + "/jwks"] = "{\"keys\":[" + Jwk(ExternalKey, "idp-1") + "]}",
        };
        External = new ExternalIssuerKeys(ExternalIssuer, (url, _) => ValueTask.FromResult(documents.TryGetValue(url.ToString(), out var body) ? System.Text.Encoding.UTF8.GetBytes(body) : null), Pki.Time);
        using var server = Pki.Server();
        Gateway = await InProcessGateway.Start(Pki, server, configure: o =>
        {
            o.Listen = new IPEndPoint(IPAddress.Loopback, port);
            o.Routes.Add(GatewayRoute.Parse("/whoami=token"));
            o.Routes.Add(GatewayRoute.Parse("/bearer=token:bearer"));
            o.TokenServer = new TokenServerOptions
            {
                Issuer = Issuer,
                Clients = (id, _) => ValueTask.FromResult(clients.GetValueOrDefault(id)),
                SigningKeys = () => SigningKeys,
                ReplayCache = ReplayCache,
                ExternalIssuers = [External.AsTrustedIssuer()],
            };
        });
    }

    public Uri TokenUrl => new(Issuer, "/oauth/token");

    /// <summary>A DPoP-bound token for the private_key_jwt client, bound to <paramref name="dpop"/>'s key (with the nonce retry).</summary>
    internal async Task<string> DpopToken(HttpClient client, DpopProofFactory dpop)
    {
        string? nonce = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, TokenUrl)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    ["client_assertion"] = ClientAssertion.Create(ClientKey, "k1", KeyClient, Issuer.GetLeftPart(UriPartial.Authority), Pki.Time),
                }),
            };
            request.Headers.Add("DPoP", dpop.Create("POST", TokenUrl, nonce: nonce));
            using var response = await client.SendAsync(request);
            nonce = response.Headers.TryGetValues("DPoP-Nonce", out var values) ? values.Single() : null;
            if (response.IsSuccessStatusCode)
            {
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return body.RootElement.GetProperty("access_token").GetString()!;
            }
        }

        throw new InvalidOperationException("no token");
    }

    /// <summary>A certificate-bound token for the mTLS client over <paramref name="client"/>'s connection.</summary>
    public async Task<string> CertificateBoundToken(HttpClient client)
    {
        using var response = await client.PostAsync(TokenUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = MtlsClient,
        }));
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    public static string Jwk(SigningKey key, string? keyId = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            PublicJwk.Write(writer, key, keyId);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        ClientKey.Dispose();
        ServerKey.Dispose();
        ExternalKey.Dispose();
        External.Dispose();
        Pki.Dispose();
    }
}
