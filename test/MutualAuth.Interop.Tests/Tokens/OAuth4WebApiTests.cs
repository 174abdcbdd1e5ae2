using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.Tokens;

/// <summary>
/// npm oauth4webapi (a FAPI 2.0-certified client we did not write) against <c>mutualauth serve --route /whoami=token</c>:
/// private_key_jwt + DPoP with the nonce retries at the token endpoint and the resource; the token it got validates
/// with Microsoft.IdentityModel configured from our metadata alone.
/// </summary>
public sealed class OAuth4WebApiTests : IAsyncLifetime, IDisposable
{
    private static string Peer => Path.Combine(ConformanceData.RepositoryRoot(), "test", "MutualAuth.Interop.Tests", "Tokens", "node");

    private readonly TempFolder _root = new();
    private ServeProcess _serve = null!;

    private string Data => Path.Combine(_root.Path, "data");

    public async Task InitializeAsync()
    {
        Assert.True((await Tool.MutualAuth("ca", "init", "--data-dir", Data)).ExitCode == 0);
        Assert.True((await Tool.MutualAuth("client", "add", "svc", "--scope", "read", "--data-dir", Data)).ExitCode == 0);
        Assert.True((await Tool.MutualAuth("client", "add", "alice", "--mtls", "--scope", "read", "--data-dir", Data)).ExitCode == 0);
        _serve = await ServeProcess.Start(Data, "--route", "/whoami=token");
        // After serve's first run, which creates the identity 'client' only in a folder without identities.
        Assert.True((await Tool.MutualAuth("ca", "issue", "client", "--name", "alice", "--data-dir", Data)).ExitCode == 0);
        Assert.True((await Tool.MutualAuth("ca", "issue", "client", "--name", "mallory", "--data-dir", Data)).ExitCode == 0);
    }

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Oauth4webapi_gets_a_dpop_bound_token_and_calls_the_token_route()
    {
        if (!Directory.Exists(Path.Combine(Peer, "node_modules", "oauth4webapi")))
        {
            throw new InvalidOperationException($"The npm OAuth peer is not installed in {Peer}: run ./test.sh (it runs 'npm ci' there).");
        }

        using var credential = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Data, "credentials", "svc.oauth.json")));
        using var key = ECDsa.Create();
        key.ImportFromPem(credential.RootElement.GetProperty("private_key").GetString());
        var p = key.ExportParameters(true);
        var issuer = $"https://localhost:{_serve.Port}";
        var input = new JsonObject
        {
            ["issuer"] = issuer,
            ["clientId"] = "svc",
            ["kid"] = credential.RootElement.GetProperty("key_id").GetString(),
            ["privateJwk"] = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!), ["d"] = B64(p.D!) },
            ["resource"] = _serve.Url("/whoami"),
        };

        var result = await Tool.Run("node", [Path.Combine(Peer, "peer.mjs")], stdin: input.ToJsonString(),
            environment: new Dictionary<string, string> { ["NODE_EXTRA_CA_CERTS"] = new DataFolder(Data).RootCertificatePath });

        Assert.True(result.ExitCode == 0, result.ToString());
        var output = JsonNode.Parse(result.StdOut)!;
        Assert.Equal("dpop", output["tokenType"]!.GetValue<string>(), ignoreCase: true);
        Assert.Equal(200, output["status"]!.GetValue<int>());
        Assert.Equal("svc", JsonNode.Parse(output["body"]!.GetValue<string>())!["subject"]!.GetValue<string>());
        Assert.True(output["nonceRetries"]!.GetValue<int>() >= 1, "the server asked for a nonce");
        await ValidatesFromMetadataAlone(issuer, output["accessToken"]!.GetValue<string>());
    }

    [Fact]
    public async Task Oauth4webapi_gets_a_certificate_bound_token_over_mtls_and_it_fails_from_another_certificate()
    {
        var folder = new DataFolder(Data);
        var input = new JsonObject
        {
            ["issuer"] = $"https://localhost:{_serve.Port}",
            ["clientId"] = "alice",
            ["resource"] = _serve.Url("/whoami"),
            ["caFile"] = folder.RootCertificatePath,
            ["certFile"] = folder.Identity("alice").ChainPath,
            ["keyFile"] = folder.Identity("alice").KeyPath,
            ["otherCertFile"] = folder.Identity("mallory").ChainPath,
            ["otherKeyFile"] = folder.Identity("mallory").KeyPath,
        };

        var result = await Tool.Run("node", [Path.Combine(Peer, "peer-mtls.mjs")], stdin: input.ToJsonString());

        Assert.True(result.ExitCode == 0, result.ToString());
        var output = JsonNode.Parse(result.StdOut)!;
        Assert.Equal("bearer", output["tokenType"]!.GetValue<string>(), ignoreCase: true);
        using var alice = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(folder.Identity("alice").ChainPath);
        Assert.Equal(B64(SHA256.HashData(alice.RawData)), output["cnf"]!["x5t#S256"]!.GetValue<string>());
        Assert.Equal(200, output["status"]!.GetValue<int>());
        Assert.Equal("alice", JsonNode.Parse(output["body"]!.GetValue<string>())!["subject"]!.GetValue<string>());
        Assert.Equal(401, output["otherStatus"]!.GetValue<int>());
        Assert.True(await _serve.WaitForOutput("certificate-mismatch"), _serve.Output);
    }

    [Fact]
    public async Task Call_with_client_gets_a_dpop_bound_token_and_refuses_a_server_naming_another_issuer()
    {
        var ok = await Tool.MutualAuth("call", _serve.Url("/whoami"), "--client", "svc", "--data-dir", Data);
        var wrongIssuer = await Tool.MutualAuth("call", _serve.Url("/whoami"), "--client", "svc", "--issuer", _serve.Url("/tenant"), "--data-dir", Data);
        var unknown = await Tool.MutualAuth("call", _serve.Url("/whoami"), "--client", "nobody", "--data-dir", Data);

        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal("svc", JsonNode.Parse(ok.StdOut)!["subject"]!.GetValue<string>());
        Assert.Equal(1, wrongIssuer.ExitCode);
        Assert.Contains("wrong-issuer", wrongIssuer.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
    }

    // What any resource server would do with Microsoft.IdentityModel: our RFC 8414 metadata, its jwks_uri, nothing else.
    private async Task ValidatesFromMetadataAlone(string issuer, string accessToken)
    {
        using var root = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(new DataFolder(Data).RootCertificatePath);
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, sent, _) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.ExtraStore.AddRange(sent!.ChainElements.Select(e => e.Certificate).ToArray());
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(root);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
        };
        using var http = new HttpClient(handler);
        using var metadata = JsonDocument.Parse(await http.GetStringAsync(new Uri(issuer + "/.well-known/oauth-authorization-server")));
        Assert.Equal(issuer, metadata.RootElement.GetProperty("issuer").GetString());
        var jwks = new JsonWebKeySet(await http.GetStringAsync(new Uri(metadata.RootElement.GetProperty("jwks_uri").GetString()!)));

        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(accessToken, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = issuer,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["at+jwt"],
        });
        Assert.True(validated.IsValid, validated.Exception?.ToString());
        Assert.Equal("svc", validated.Claims["client_id"]);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
