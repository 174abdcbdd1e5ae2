using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MutualAuth.Http;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;

namespace MutualAuth.Benchmarks;

/// <summary>
/// <c>sig-requests [--seconds S] [--clients N] [--rounds R] [--http2]</c>: requests per second through a real
/// <c>mutualauth serve --route /signed=sig --route /open=none --upstream …</c> process on a temporary data folder
/// (one HMAC key from <c>mutualauth key create --client bench</c>), in front of a small upstream (Kestrel in this
/// process, a 40-byte JSON body). N clients, each on its own keep-alive TLS connection without a client certificate,
/// send <c>GET</c> requests: <em>signed</em> to <c>/signed/…</c> through <see cref="HttpSignatureHandler"/> (RFC 9421
/// both ways: the server verifies each request, checks its nonce in the store and signs each response, which the client
/// verifies), and <em>open</em> to <c>/open/…</c> (route method <c>none</c>: same gateway, upstream and transport, no
/// authentication). The two modes alternate for R rounds; prints rates, latencies, CPU time of each process per request
/// and the signed/open ratio (client, upstream and server share the machine).
/// </summary>
internal static class SignedRequestLoad
{
    public const string Command = "sig-requests";
    private const string Client = "bench";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    public static async Task<int> Run(string[] args)
    {
        var seconds = LoadHarness.Option(args, "--seconds", 10);
        var clients = LoadHarness.Option(args, "--clients", 4);
        var rounds = LoadHarness.Option(args, "--rounds", 2);
        var http2 = args.Contains("--http2");
        var root = Directory.CreateTempSubdirectory("mutualauth-bench-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            var created = await Tool.MutualAuth("key", "create", "--client", Client, "--data-dir", data);
            if (created.ExitCode != 0)
            {
                await Console.Error.WriteLineAsync(created.ToString());
                return 1;
            }

            var credential = SignatureCredential.Load(new DataFolder(data).ClientCredentialPath(Client));
            await using var upstream = await StartUpstream();
            await using var serve = await ServeProcess.Start(data, "--route", "/signed=sig", "--route", "/open=none", "--upstream", UpstreamUrl(upstream), "--log-level", "information");
            using var server = Process.GetProcessById(serve.ProcessId);
            var anchor = X509CertificateLoader.LoadCertificateFromFile(new DataFolder(data).RootCertificatePath);
            Console.WriteLine($"serve pid {serve.ProcessId}, {clients} clients, HTTP/{(http2 ? "2" : "1.1")}, {seconds} s per mode after {WarmUp.TotalSeconds} s warm-up, {rounds} rounds, {Environment.ProcessorCount} cores shared by client, upstream and server");
            Console.WriteLine();
            Console.WriteLine("| round | mode | clients | requests/s | p50 ms | p99 ms | serve CPU ms each | client+upstream CPU ms each |");
            Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|");
            double openTotal = 0, signedTotal = 0;
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var signed in new[] { false, true })
                {
                    var result = await Measure(serve, server, anchor, signed ? credential : null, clients, http2, TimeSpan.FromSeconds(seconds));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {round} | {(signed ? "signed both ways (hmac-sha256)" : "open (route method none)")} | {clients} | {result.PerSecond:0} | {result.P50:0.00} | {result.P99:0.00} | {result.ServerCpu:0.000} | {result.ClientCpu:0.000} |"));
                    if (signed)
                    {
                        signedTotal += result.PerSecond;
                    }
                    else
                    {
                        openTotal += result.PerSecond;
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"signed/open: {signedTotal / openTotal:0.000} ({(1 - (signedTotal / openTotal)) * 100:0.0} % fewer requests/s signed)"));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<LoadResult> Measure(ServeProcess serve, Process server, X509Certificate2 anchor, SignatureCredential? credential, int clients, bool http2, TimeSpan duration)
    {
        var http = Enumerable.Range(0, clients).Select(_ => CreateClient(anchor, credential, http2)).ToList();
        try
        {
            // Every answer must be 200 with the upstream's body (signed ones verified by the handler).
            return await LoadHarness.Measure(server, http, serve.Url(credential is null ? "/open/items/42" : "/signed/items/42"),
                (response, body) => response.StatusCode == HttpStatusCode.OK && body.Length == UpstreamBody.Length, WarmUp, duration);
        }
        finally
        {
            http.ForEach(c => c.Dispose());
        }
    }

    /// <summary>One client: its own keep-alive connection, the server verified against the data folder's CA, no client certificate.</summary>
    private static HttpClient CreateClient(X509Certificate2 anchor, SignatureCredential? credential, bool http2)
    {
        var transport = LoadHarness.ServerVerifyingTransport(anchor);
        HttpMessageHandler handler = credential is null
            ? transport
            : new HttpSignatureHandler(new HttpSignatureClientOptions
            {
                KeyId = credential.KeyId,
                Key = credential.ClientKey(),
                ServerKeyId = credential.ServerKeyId,
                ServerKey = credential.ServerKey(),
            })
            {
                InnerHandler = transport,
            };
        return new HttpClient(handler)
        {
            DefaultRequestVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    private static readonly byte[] UpstreamBody = """{"id":42,"name":"bench item","ok":true}"""u8.ToArray();

    /// <summary>The upstream: Kestrel on a free loopback port, HTTP/1.1, a fixed small JSON body for every request.</summary>
    private static async Task<WebApplication> StartUpstream()
    {
        // The empty builder: no configuration file watcher on the working directory, which (with the data folder in a
        // temporary folder under it) would wake on every SQLite write of serve and bill it to both processes.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = UpstreamBody.Length;
            return context.Response.Body.WriteAsync(UpstreamBody).AsTask();
        });
        await app.StartAsync();
        return app;
    }

    private static string UpstreamUrl(WebApplication upstream) =>
        upstream.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
}
