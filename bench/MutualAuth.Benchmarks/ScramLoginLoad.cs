using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Http;
using MutualAuth.Scram;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;

namespace MutualAuth.Benchmarks;

/// <summary>
/// <c>scram-logins [--seconds S] [--clients N]</c>: HTTP SCRAM (RFC 7804) logins per second through a real
/// <c>mutualauth serve --route /=scram</c> process on a temporary data folder. N clients, each on its own
/// keep-alive TLS connection, log in again and again with <see cref="ScramHttpHandler"/> (SCRAM-SHA-256-PLUS,
/// session cookie ignored: a full exchange per login), then reuse one session cookie per client for plain
/// requests. Prints rates, latencies and the CPU time of each process per login (client and server share the machine).
/// </summary>
internal static class ScramLoginLoad
{
    public const string Command = "scram-logins";
    private const string User = "bench";
    private const string Password = "bench-correct-horse-battery";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    public static async Task<int> Run(string[] args)
    {
        var seconds = LoadHarness.Option(args, "--seconds", 10);
        var clients = LoadHarness.Option(args, "--clients", 4);
        var root = Directory.CreateTempSubdirectory("mutualauth-bench-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            var passwordFile = Path.Combine(root, "pw");
            await File.WriteAllTextAsync(passwordFile, Password + "\n");
            var added = await Tool.MutualAuth("user", "add", User, "--password-file", passwordFile, "--data-dir", data);
            if (added.ExitCode != 0)
            {
                await Console.Error.WriteLineAsync(added.ToString());
                return 1;
            }

            await using var serve = await ServeProcess.Start(data, "--route", "/=scram");
            using var server = Process.GetProcessById(serve.ProcessId);
            var anchor = X509CertificateLoader.LoadCertificateFromFile(new DataFolder(data).RootCertificatePath);
            var pbkdf2 = Pbkdf2Milliseconds();
            Console.WriteLine($"serve pid {serve.ProcessId}, {clients} clients, {seconds} s per mode after {WarmUp.TotalSeconds} s warm-up, {Environment.ProcessorCount} cores shared by client and server");
            Console.WriteLine($"client PBKDF2-SHA-256 (4096 iterations), one thread: {pbkdf2:0.00} ms per derivation");
            Console.WriteLine();
            Console.WriteLine("| mode | clients | per second | p50 ms | p99 ms | serve CPU ms each | client CPU ms each (PBKDF2 part) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var sessions in new[] { false, true })
            {
                var result = await Measure(serve, server, anchor, clients, TimeSpan.FromSeconds(seconds), sessions);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {(sessions ? "requests with the session cookie" : "full SCRAM-SHA-256-PLUS logins")} | {clients} | {result.PerSecond:0} | {result.P50:0.0} | {result.P99:0.0} | {result.ServerCpu:0.00} | {result.ClientCpu:0.00}{(sessions ? "" : $" ({pbkdf2:0.00})")} |"));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<LoadResult> Measure(ServeProcess serve, Process server, X509Certificate2 anchor, int clients, TimeSpan duration, bool sessions)
    {
        var http = Enumerable.Range(0, clients).Select(_ => Client(anchor, sessions)).ToList();
        try
        {
            // Every answer must be 200: a login the server proved itself in.
            return await LoadHarness.Measure(server, http, serve.Url(), (response, _) => response.StatusCode == HttpStatusCode.OK, WarmUp, duration);
        }
        finally
        {
            http.ForEach(c => c.Dispose());
        }
    }

    /// <summary>One client: its own connection (kept alive), the server verified against the data folder's CA, SCRAM with -PLUS required.</summary>
    private static HttpClient Client(X509Certificate2 anchor, bool sessions)
    {
        X509Certificate2? serverCertificate = null;
        var transport = LoadHarness.ServerVerifyingTransport(anchor, (_, certificate) => serverCertificate = certificate);
        var scram = new ScramHttpHandler(new ScramClientOptions
        {
            UserName = User,
            Password = () => Password,
            ChannelBinding = ChannelBindingPolicy.Required,
            ServerCertificate = _ => serverCertificate,
            UseSessions = sessions,
        })
        {
            InnerHandler = transport,
        };
        return new HttpClient(scram);
    }

    /// <summary>What the client pays per login for Hi() (RFC 5802 §2.2) alone, measured on one thread.</summary>
    private static double Pbkdf2Milliseconds()
    {
        var salt = new byte[16];
        ScramCredential.Derive(ScramMechanism.Sha256, Password, salt, ScramCredential.MinIterations);
        var clock = Stopwatch.StartNew();
        const int Rounds = 200;
        for (var i = 0; i < Rounds; i++)
        {
            ScramCredential.Derive(ScramMechanism.Sha256, Password, salt, ScramCredential.MinIterations);
        }

        return clock.Elapsed.TotalMilliseconds / Rounds;
    }
}
