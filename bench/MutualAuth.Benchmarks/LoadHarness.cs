using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Http;

namespace MutualAuth.Benchmarks;

/// <summary>What the console load modes against a <c>serve</c> process share: options, clients, the measuring loop.</summary>
internal static class LoadHarness
{
    /// <summary>A positive integer option <c>--name N</c>, else <paramref name="fallback"/>.</summary>
    public static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }

    /// <summary>A transport on one keep-alive connection that verifies the server against <paramref name="anchor"/> and presents no certificate.</summary>
    public static SocketsHttpHandler ServerVerifyingTransport(X509Certificate2 anchor, Action<string, X509Certificate2>? serverVerified = null)
    {
        var transport = MutualTlsHttpHandler.Create(new MutualTlsClientOptions
        {
            ServerTrust = new TrustPolicy
            {
                TrustAnchors = [anchor],
                Purpose = CertificatePurpose.ServerAuthentication,
                Revocation = RevocationMode.None,
            },
            ServerVerified = serverVerified,
        }, TimeProvider.System);
        transport.MaxConnectionsPerServer = 1;
        return transport;
    }

    /// <summary>
    /// Runs every client against <paramref name="url"/> for <paramref name="warmUp"/>, then measures for <paramref name="duration"/>:
    /// rate, latency percentiles and the CPU milliseconds per request of <paramref name="server"/> and of this process.
    /// Every answer must pass <paramref name="accept"/> (status and body), or the run stops with an exception.
    /// </summary>
    public static async Task<LoadResult> Measure(Process server, IReadOnlyList<HttpClient> clients, string url, Func<HttpResponseMessage, byte[], bool> accept,
        TimeSpan warmUp, TimeSpan duration)
    {
        using (var warm = new CancellationTokenSource(warmUp))
        {
            await Task.WhenAll(clients.Select(c => Loop(c, url, accept, null, warm.Token)));
        }

        server.Refresh();
        var serverBefore = server.TotalProcessorTime;
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var latencies = clients.Select(_ => new List<double>()).ToList();
        using var stop = new CancellationTokenSource(duration);
        await Task.WhenAll(clients.Select((c, i) => Loop(c, url, accept, latencies[i], stop.Token)));
        var elapsed = clock.Elapsed.TotalSeconds;
        server.Refresh();
        var serverCpu = (server.TotalProcessorTime - serverBefore).TotalMilliseconds;
        var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalMilliseconds;

        var all = latencies.SelectMany(l => l).Order().ToList();
        return new LoadResult(all.Count / elapsed, all[all.Count / 2], all[(int)(all.Count * 0.99)], serverCpu / all.Count, clientCpu / all.Count);
    }

    private static async Task Loop(HttpClient client, string url, Func<HttpResponseMessage, byte[], bool> accept, List<double>? latencies, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(url, CancellationToken.None);
            var body = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
            if (!accept(response, body))
            {
                throw new InvalidOperationException($"serve answered {(int)response.StatusCode} with {body.Length} bytes");
            }

            latencies?.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}

/// <summary>One measured mode: requests per second, latency percentiles (ms), CPU milliseconds per request of serve and of the client process.</summary>
internal sealed record LoadResult(double PerSecond, double P50, double P99, double ServerCpu, double ClientCpu);
