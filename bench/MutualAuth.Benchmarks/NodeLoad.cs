using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MutualAuth.Benchmarks;

/// <summary>
/// The measuring loop of the <c>cluster</c> and <c>tokens</c> modes: N clients, each sending one request after another
/// on its own keep-alive connection, a second of progress at a time; errors are counted, not fatal; CPU time of the
/// server processes from <c>/proc/PID/stat</c>.
/// </summary>
internal static class NodeLoad
{
    /// <summary>One request of one client: the index of the node that answered (from the upstream's body), or -1 for an error.</summary>
    public delegate Task<int> Request(CancellationToken cancellationToken);

    // USER_HZ, the unit of /proc/PID/stat's times: 100 on every Linux architecture .NET runs on (getconf CLK_TCK).
    private const double TicksPerSecond = 100;

    /// <summary>utime + stime of <paramref name="pid"/> in milliseconds (fields 14 and 15 of /proc/PID/stat).</summary>
    public static double CpuMilliseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 1000 / TicksPerSecond;
    }

    /// <summary>Runs <paramref name="clients"/> for <paramref name="warmUp"/>, then measures for <paramref name="duration"/>.</summary>
    public static async Task<NodeResult> Measure(string label, IReadOnlyList<Request> clients, IReadOnlyList<int> serverPids, int nodes, TimeSpan warmUp, TimeSpan duration)
    {
        using (var warm = new CancellationTokenSource(warmUp))
        {
            await Task.WhenAll(clients.Select(c => Loop(c, null, new long[nodes + 1], warm.Token)));
        }

        var before = serverPids.Select(CpuMilliseconds).ToArray();
        var counts = new long[nodes + 1];
        var latencies = clients.Select(_ => new List<double>()).ToList();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);
        var running = Task.WhenAll(clients.Select((c, i) => Loop(c, latencies[i], counts, stop.Token)));
        while (await Task.WhenAny(running, Task.Delay(1000)) != running)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {label}: {clock.Elapsed.TotalSeconds:0} s, {counts.Take(nodes).Sum():N0} answered, {Interlocked.Read(ref counts[nodes])} errors"));
        }

        await running;
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = serverPids.Select((pid, i) => CpuMilliseconds(pid) - before[i]).ToArray();
        var all = latencies.SelectMany(l => l).Order().ToList();
        var ok = all.Count;
        return new NodeResult(ok / elapsed, counts.Take(nodes).Select(c => c / elapsed).ToArray(), counts[nodes],
            ok == 0 ? double.NaN : all[ok / 2], ok == 0 ? double.NaN : all[Math.Min(ok - 1, (int)(ok * 0.99))], cpu.Sum(), ok);
    }

    private static async Task Loop(Request request, List<double>? latencies, long[] counts, CancellationToken stop)
    {
        var errors = counts.Length - 1;
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            int node;
            try
            {
                node = await request(CancellationToken.None);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or TaskCanceledException or Http.MutualAuthenticationException)
            {
                node = -1;
                if (latencies is not null && Interlocked.Read(ref counts[errors]) < 3)
                {
                    await Console.Error.WriteLineAsync("  error: " + e.Message);
                }
            }

            if (latencies is null)
            {
                continue;
            }

            if (node < 0)
            {
                Interlocked.Increment(ref counts[errors]);
                continue;
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Interlocked.Increment(ref counts[node]);
        }
    }

    /// <summary>The body upstream <paramref name="node"/> answers with: 40 bytes, the node's letter at the end.</summary>
    public static byte[] UpstreamBody(int node) => System.Text.Encoding.ASCII.GetBytes($$"""{"id":42,"name":"bench item","node":"{{(char)('a' + node)}}"}""");

    /// <summary>Which node's upstream produced <paramref name="body"/>, or -1.</summary>
    public static int NodeOf(HttpStatusCode status, byte[] body, int nodes)
    {
        if (status != HttpStatusCode.OK || body.Length < 3)
        {
            return -1;
        }

        var node = body[^3] - 'a';
        return node >= 0 && node < nodes && body.AsSpan().SequenceEqual(UpstreamBody(node)) ? node : -1;
    }

    /// <summary>An upstream on a free loopback port (Kestrel, HTTP/1.1) answering every request with <see cref="UpstreamBody"/> of <paramref name="node"/>.</summary>
    public static async Task<(WebApplication App, string Url)> StartUpstream(int node)
    {
        var body = UpstreamBody(node);
        // The empty builder: no configuration file watcher on the working directory.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body).AsTask();
        });
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    /// <summary>The machine's load averages, as <c>uptime</c> prints them.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}

/// <summary>One measured configuration: rates (total and per node), errors, latency percentiles (ms), serve CPU ms in all, answered requests.</summary>
internal sealed record NodeResult(double PerSecond, double[] PerNode, long Errors, double P50, double P99, double ServeCpuMs, long Answered)
{
    /// <summary>Answered requests per second of serve CPU time (all nodes together).</summary>
    public double PerServeCpuSecond => ServeCpuMs <= 0 ? double.NaN : Answered / (ServeCpuMs / 1000);
}
