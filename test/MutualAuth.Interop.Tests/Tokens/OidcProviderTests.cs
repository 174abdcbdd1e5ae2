using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using MutualAuth.Certificates;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.Tokens;

/// <summary>
/// npm oidc-provider (a certified FAPI 2.0 server we did not write) as a foreign authorization server over HTTPS:
/// <c>call --issuer IT --client svc</c> gets a DPoP-bound JWT access token from it (private_key_jwt, nonce retries) and
/// calls <c>serve --token-issuer IT --route /whoami=token</c>, which reads the issuer's metadata and JWKS over TLS
/// checked against the configured CA and pin. Without that issuer configured, or with a wrong pin, the token is refused.
/// </summary>
public sealed class OidcProviderTests : IAsyncLifetime, IDisposable
{
    private static string Peer => Path.Combine(ConformanceData.RepositoryRoot(), "test", "MutualAuth.Interop.Tests", "Tokens", "oidc-provider");

    private readonly TempFolder _root = new();
    private readonly int _issuerPort = Tool.FreePort();
    private Process? _provider;
    private ServeProcess _serve = null!;

    private string Data => Path.Combine(_root.Path, "data");

    private string Issuer => $"https://localhost:{_issuerPort}";

    public async Task InitializeAsync()
    {
        if (!Directory.Exists(Path.Combine(Peer, "node_modules", "oidc-provider")))
        {
            throw new InvalidOperationException($"The npm oidc-provider peer is not installed in {Peer}: run ./test.sh (it runs 'npm ci' there).");
        }

        Assert.True((await Tool.MutualAuth("ca", "init", "--data-dir", Data)).ExitCode == 0);
        Assert.True((await Tool.MutualAuth("ca", "issue", "server", "--name", "idp", "--dns", "localhost", "--data-dir", Data)).ExitCode == 0);
        Assert.True((await Tool.MutualAuth("client", "add", "svc", "--data-dir", Data)).ExitCode == 0);
        _serve = await ServeProcess.Start(Data, "--route", "/whoami=token", "--token-issuer", Issuer,
            "--token-issuer-ca", new DataFolder(Data).RootCertificatePath, "--token-issuer-pin", IssuerPin());
        _provider = await StartProvider(_serve.Url("/").TrimEnd('/'));
    }

    public async Task DisposeAsync()
    {
        if (_provider is { HasExited: false })
        {
            _provider.Kill(entireProcessTree: true);
            await _provider.WaitForExitAsync();
        }

        _provider?.Dispose();
        await _serve.DisposeAsync();
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Call_gets_a_dpop_bound_token_from_oidc_provider_and_serve_accepts_it()
    {
        var result = await Tool.MutualAuth("call", _serve.Url("/whoami"), "--client", "svc", "--issuer", Issuer, "--data-dir", Data);

        Assert.True(result.ExitCode == 0, result + "\n" + _serve.Output);
        Assert.Equal("svc", JsonNode.Parse(result.StdOut)!["subject"]!.GetValue<string>());
        Assert.Contains("dpop", _serve.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_serve_without_that_issuer_or_with_a_wrong_pin_refuses_its_token_and_the_right_pin_alone_reads_the_keys()
    {
        await using var notConfigured = await ServeProcess.Start(Data, "--route", "/whoami=token");
        await using var wrongPin = await ServeProcess.Start(Data, "--route", "/whoami=token", "--token-issuer", Issuer,
            "--token-issuer-pin", "sha256/" + Convert.ToBase64String(new byte[32]));
        await using var rightPin = await ServeProcess.Start(Data, "--route", "/whoami=token", "--token-issuer", Issuer, "--token-issuer-pin", IssuerPin());

        // The provider issues tokens for the first resource only; its audience is checked after the issuer and the keys.
        var refusedIssuer = await Tool.MutualAuth("call", notConfigured.Url("/whoami"), "--client", "svc", "--issuer", Issuer, "--data-dir", Data);
        var refusedPin = await Tool.MutualAuth("call", wrongPin.Url("/whoami"), "--client", "svc", "--issuer", Issuer, "--data-dir", Data);
        var otherAudience = await Tool.MutualAuth("call", rightPin.Url("/whoami"), "--client", "svc", "--issuer", Issuer, "--data-dir", Data);

        Assert.Equal(1, refusedIssuer.ExitCode);
        Assert.Equal(1, refusedPin.ExitCode);
        Assert.True(await notConfigured.WaitForOutput("wrong-issuer"), notConfigured.Output);
        Assert.True(await wrongPin.WaitForOutput("issuer-unavailable"), wrongPin.Output);
        // With the right pin alone (no CA) the keys are read and the signature verifies; the audience is the other serve.
        Assert.Equal(1, otherAudience.ExitCode);
        Assert.True(await rightPin.WaitForOutput("wrong-audience"), rightPin.Output);
    }

    private string IssuerPin()
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(new DataFolder(Data).Identity("idp").ChainPath);
        return SpkiPin.FromCertificate(certificate).ToString();
    }

    private async Task<Process> StartProvider(string resource)
    {
        using var credential = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Data, "credentials", "svc.oauth.json")));
        using var key = ECDsa.Create();
        key.ImportFromPem(credential.RootElement.GetProperty("private_key").GetString());
        var p = key.ExportParameters(false);
        var idp = new DataFolder(Data).Identity("idp");
        var input = new JsonObject
        {
            ["port"] = _issuerPort,
            ["issuer"] = Issuer,
            ["certFile"] = idp.ChainPath,
            ["keyFile"] = idp.KeyPath,
            ["clientId"] = "svc",
            ["clientJwk"] = new JsonObject
            {
                ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!),
                ["kid"] = credential.RootElement.GetProperty("key_id").GetString(), ["use"] = "sig", ["alg"] = "ES256",
            },
            ["resource"] = resource,
        };
        var process = new Process { StartInfo = Tool.StartInfo("node", [Path.Combine(Peer, "server.mjs")]) };
        process.StartInfo.RedirectStandardInput = true;
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        await process.StandardInput.WriteAsync(input.ToJsonString());
        process.StandardInput.Close();
        var ready = process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(30))) != ready || (await ready)?.Contains("listening", StringComparison.Ordinal) != true)
        {
            process.Kill(entireProcessTree: true);
            lock (errors)
            {
                throw new InvalidOperationException("oidc-provider did not start: " + errors);
            }
        }

        return process;
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
