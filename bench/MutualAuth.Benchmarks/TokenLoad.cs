using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MutualAuth.Certificates;
using MutualAuth.Http;
using MutualAuth.Keys;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;
using MutualAuth.Tokens;

namespace MutualAuth.Benchmarks;

/// <summary>
/// <c>tokens [--seconds S] [--clients N] [--rounds R]</c> (issue 14): one <c>serve --route /api=token --route /m=mtls</c>
/// on SQLite (defaults: replay cache written behind, audit queued), N clients each with its own OAuth client
/// (<c>client add</c>, private_key_jwt, ES256) and client certificate, on their own keep-alive connections:
/// <list type="bullet">
/// <item><c>token, private_key_jwt (certificate-bound)</c>: <c>POST /oauth/token</c> with a fresh assertion over the client's mTLS connection;</item>
/// <item><c>token, private_key_jwt + DPoP</c>: the same with a DPoP proof (no certificate; the server nonce is kept and renewed on <c>use_dpop_nonce</c>);</item>
/// <item><c>GET, DPoP-bound token</c>: <c>/api/…</c> through <see cref="OAuthClientCredentialsHandler"/> (token cached, a proof per request, the
/// response's FAPI signature verified);</item>
/// <item><c>GET, certificate-bound token</c>: the same without DPoP key, over the client's mTLS connection;</item>
/// <item><c>GET, mTLS only</c>: <c>/m/…</c>, route method <c>mtls</c>, the same upstream.</item>
/// </list>
/// Modes alternate for R rounds; prints rates, errors, p50/p99 and requests per serve CPU-second.
/// </summary>
internal static class TokenLoad
{
    public const string Command = "tokens";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    public static async Task<int> Run(string[] args)
    {
        var seconds = LoadHarness.Option(args, "--seconds", 8);
        var clients = LoadHarness.Option(args, "--clients", 4);
        var rounds = LoadHarness.Option(args, "--rounds", 2);
        var root = Directory.CreateTempSubdirectory("mutualauth-bench-tokens-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            Console.Error.WriteLine("tokens: creating the data folder, client certificates and OAuth clients");
            await (await ServeProcess.Start(data, "--log-level", "warning")).DisposeAsync();
            await Parallel.ForAsync(0, clients, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) =>
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                await Check(Tool.MutualAuth("ca", "issue", "client", "--name", "c" + n, "--data-dir", data));
                await Check(Tool.MutualAuth("client", "add", "t" + n, "--scope", "read", "--data-dir", data));
            });
            var (upstream, upstreamUrl) = await NodeLoad.StartUpstream(0);
            await using var app = upstream;
            await using var serve = await ServeProcess.Start(data, "--route", "/api=token", "--route", "/m=mtls", "--upstream", upstreamUrl, "--log-level", "information");
            var issuer = new Uri($"https://localhost:{serve.Port.ToString(CultureInfo.InvariantCulture)}");
            var anchor = X509CertificateLoader.LoadCertificateFromFile(new DataFolder(data).RootCertificatePath);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"tokens: serve pid {serve.ProcessId}, {clients} clients (each its own OAuth client and certificate, one keep-alive HTTP/1.1 connection), {seconds} s per figure after {WarmUp.TotalSeconds} s warm-up, {rounds} rounds, {Environment.ProcessorCount} cores shared by clients, upstream and serve"));
            Console.WriteLine();
            Console.WriteLine("| round | mode | per second | errors | p50 ms | p99 ms | serve CPU ms each | per serve CPU-second | load average |");
            Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---|");
            var failed = false;
            string[] modes = ["token, private_key_jwt (certificate-bound)", "token, private_key_jwt + DPoP", "GET, DPoP-bound token", "GET, certificate-bound token", "GET, mTLS only"];
            // Round 0 is not recorded: a short pass of every figure first, so serve's JIT has compiled the hot paths.
            for (var round = 0; round <= rounds; round++)
            {
                for (var mode = 0; mode < modes.Length; mode++)
                {
                    var disposables = new List<IDisposable>();
                    try
                    {
                        var requests = Enumerable.Range(0, clients).Select(i => Requests(mode, i, data, issuer, anchor, disposables)).ToList();
                        var result = await NodeLoad.Measure(modes[mode], requests, [serve.ProcessId], 1, WarmUp, TimeSpan.FromSeconds(round == 0 ? 2 : seconds));
                        failed |= result.Errors > 0;
                        if (round > 0)
                        {
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"| {round} | {modes[mode]} | {result.PerSecond:N0} | {result.Errors} | {result.P50:0.00} | {result.P99:0.00} | {result.ServeCpuMs / Math.Max(1, result.Answered):0.000} | {result.PerServeCpuSecond:N0} | {NodeLoad.LoadAverage()} |"));
                        }
                    }
                    finally
                    {
                        disposables.ForEach(d => d.Dispose());
                    }
                }
            }

            return failed ? 1 : 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static NodeLoad.Request Requests(int mode, int i, string data, Uri issuer, X509Certificate2 anchor, List<IDisposable> disposables)
    {
        var folder = new DataFolder(data);
        var n = i.ToString(CultureInfo.InvariantCulture);
        var identity = Path.Combine(folder.Root, "identities", "c" + n);
        var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(identity, "chain.pem"), Path.Combine(identity, "key.pem"));
        using var credentialJson = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder.Root, "credentials", "t" + n + ".oauth.json")));
        var clientId = credentialJson.RootElement.GetProperty("client_id").GetString()!;
        var keyId = credentialJson.RootElement.GetProperty("key_id").GetString()!;
        var clientKey = SoftwareSigningKey.FromPem(credentialJson.RootElement.GetProperty("private_key").GetString()!);
        var withCertificate = mode is 0 or 3 or 4;
        var transport = MutualTlsHttpHandler.Create(new MutualTlsClientOptions
        {
            ClientCertificate = withCertificate ? certificate : null,
            ServerTrust = new TrustPolicy { TrustAnchors = [anchor], Purpose = CertificatePurpose.ServerAuthentication, Revocation = RevocationMode.None },
        }, TimeProvider.System);
        transport.MaxConnectionsPerServer = 1;
        var resource = new Uri(issuer, mode == 4 ? "/m/items/42" : "/api/items/42");
        if (mode >= 2)
        {
            HttpMessageHandler handler = mode == 4 ? transport : new OAuthClientCredentialsHandler(new OAuthClientCredentialsOptions
            {
                Issuer = issuer,
                ClientId = clientId,
                ClientKey = clientKey,
                ClientKeyId = keyId,
                DpopKey = mode == 2 ? SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256) : null,
                Scope = "read",
            })
            {
                InnerHandler = transport,
            };
            var http = new HttpClient(handler);
            disposables.Add(http);
            return async cancel =>
            {
                using var response = await http.GetAsync(resource, cancel);
                return NodeLoad.NodeOf(response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancel), 1);
            };
        }

        var client = new HttpClient(transport);
        disposables.Add(client);
        var endpoint = new Uri(issuer, "/oauth/token");
        var dpop = mode == 1 ? new DpopProofFactory(SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256), TimeProvider.System) : null;
        string? nonce = null;
        var audience = issuer.GetLeftPart(UriPartial.Authority);
        return async cancel =>
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["grant_type"] = TokenNames.ClientCredentialsGrant,
                        ["scope"] = "read",
                        ["client_assertion_type"] = TokenNames.JwtBearerAssertionType,
                        ["client_assertion"] = ClientAssertion.Create(clientKey, keyId, clientId, audience, TimeProvider.System),
                    }),
                };
                if (dpop is not null)
                {
                    request.Headers.Add(TokenNames.DpopHeader, dpop.Create("POST", endpoint, nonce: nonce));
                }

                using var response = await client.SendAsync(request, cancel);
                var body = await response.Content.ReadAsStringAsync(cancel);
                if (response.Headers.TryGetValues(TokenNames.DpopNonceHeader, out var nonces))
                {
                    nonce = nonces.First();
                }

                if (response.StatusCode == HttpStatusCode.OK && body.Contains("\"access_token\"", StringComparison.Ordinal))
                {
                    return 0;
                }

                if (!body.Contains(TokenNames.UseDpopNonce, StringComparison.Ordinal))
                {
                    return -1;
                }
            }

            return -1;
        };
    }

    private static async Task Check(Task<ProcessResult> running)
    {
        var result = await running;
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.ToString());
        }
    }
}
