using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Http;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;

namespace MutualAuth.Benchmarks;

/// <summary>
/// <c>cluster [--seconds S] [--clients N] [--rounds R]</c> (issue 17): N clients, each with its own identity (a client
/// certificate for <c>mtls</c>, an HMAC key for <c>sig</c>) on its own keep-alive TLS connection, against
/// <list type="bullet">
/// <item><c>sqlite</c>: one <c>serve</c> on the data folder's SQLite, replay cache in memory written behind (the default);</item>
/// <item><c>sqlite-sync</c>: the same with <c>--replay-sync</c> (one SQLite insert per nonce before the request goes on);</item>
/// <item><c>pg-2-nodes</c>: two <c>serve --store</c> nodes on one PostgreSQL 15 (started here) behind HAProxy (TCP mode,
/// round robin), each node with its own upstream so the answer says which node served it.</item>
/// </list>
/// Methods and configurations alternate for R rounds; prints requests/s (in all and per node), errors, p50/p99 and
/// requests per serve CPU-second (CPU of all nodes of the configuration, from /proc/PID/stat). Everything it starts
/// is stopped at the end.
/// </summary>
internal static class ClusterLoad
{
    public const string Command = "cluster";
    private const string HaProxy = "/usr/sbin/haproxy";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    public static async Task<int> Run(string[] args)
    {
        var seconds = LoadHarness.Option(args, "--seconds", 8);
        var clients = LoadHarness.Option(args, "--clients", 4);
        var rounds = LoadHarness.Option(args, "--rounds", 2);
        var root = Directory.CreateTempSubdirectory("mutualauth-bench-cluster-").FullName;
        var started = new List<IAsyncDisposable>();
        Process? haproxy = null;
        try
        {
            Console.Error.WriteLine("cluster: starting PostgreSQL");
            var postgres = await BenchPostgres.Start();
            started.Add(postgres);
            // Two data folders: one for the SQLite configurations, one whose CA lives in the PostgreSQL store (created by
            // serve --store on an empty folder, as docs/operations.md says); each copied for its second process. The client
            // certificates come from the first folder's CA ('ca issue' has no --store yet): the nodes trust it with --trust/--crl.
            var dataS = Path.Combine(root, "single");
            var dataA = Path.Combine(root, "node-a");
            Console.Error.WriteLine("cluster: creating the data folders, client certificates and keys");
            await (await ServeProcess.Start(dataS, "--log-level", "warning")).DisposeAsync();
            await (await ServeProcess.Start(dataA, "--log-level", "warning", "--store", postgres.ConnectionString)).DisposeAsync();
            await Parallel.ForAsync(0, clients, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) =>
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                await Cli("ca", "issue", "client", "--name", "c" + n, "--data-dir", dataS);
                await Cli("key", "create", "--client", "k" + n, "--data-dir", dataS);
                await Cli("key", "create", "--client", "k" + n, "--store", postgres.ConnectionString, "--data-dir", dataA);
            });
            var dataB = Path.Combine(root, "node-b");
            var dataSync = Path.Combine(root, "single-sync");
            await Cli("cp", "-a", dataA, dataB);
            await Cli("cp", "-a", dataS, dataSync);

            var upstreams = new List<string>();
            for (var node = 0; node < 2; node++)
            {
                var (app, url) = await NodeLoad.StartUpstream(node);
                started.Add(app);
                upstreams.Add(url);
            }

            string[] Routes(int node) => ["--route", "/m=mtls", "--route", "/sig=sig", "--upstream", upstreams[node], "--log-level", "information"];
            string[] Store(string name) => ["--store", postgres.ConnectionString, "--node-name", name, "--trust", Path.Combine(dataS, "ca", "root.pem"), "--crl", Path.Combine(dataS, "ca", "crl.pem")];
            Console.Error.WriteLine("cluster: starting the nodes");
            var single = await Started(ServeProcess.Start(dataS, Routes(0)), started);
            var singleSync = await Started(ServeProcess.Start(dataSync, [.. Routes(0), "--replay-sync"]), started);
            var nodeA = await Started(ServeProcess.Start(dataA, [.. Routes(0), .. Store("a")]), started);
            var nodeB = await Started(ServeProcess.Start(dataB, [.. Routes(1), .. Store("b")]), started);
            var haPort = Tool.FreePort();
            var haConfig = Path.Combine(root, "haproxy.cfg");
            File.WriteAllText(haConfig, string.Create(CultureInfo.InvariantCulture, $"""
                global
                  maxconn 2000
                defaults
                  mode tcp
                  timeout connect 5s
                  timeout client 60s
                  timeout server 60s
                frontend nodes
                  bind 127.0.0.1:{haPort}
                  default_backend nodes
                backend nodes
                  balance roundrobin
                  server a 127.0.0.1:{nodeA.Port}
                  server b 127.0.0.1:{nodeB.Port}

                """));
            haproxy = Process.Start(Tool.StartInfo(HaProxy, ["-f", haConfig, "-db"])) ?? throw new InvalidOperationException("haproxy did not start");
            haproxy.BeginOutputReadLine();
            haproxy.BeginErrorReadLine();
            await Task.Delay(500);

            var configurations = new[]
            {
                new Configuration("sqlite (write-behind replay cache)", single.Port, [single.ProcessId], 1, dataS),
                new Configuration("sqlite --replay-sync", singleSync.Port, [singleSync.ProcessId], 1, dataSync),
                new Configuration("postgresql, 2 nodes via HAProxy", haPort, [nodeA.ProcessId, nodeB.ProcessId], 2, dataA),
            };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cluster: {clients} clients (each its own certificate or key, one keep-alive HTTP/1.1 connection), {seconds} s per figure after {WarmUp.TotalSeconds} s warm-up, {rounds} rounds, {Environment.ProcessorCount} cores shared by clients, nodes, upstreams, PostgreSQL and HAProxy; PostgreSQL pid {postgres.ProcessId} (fsync on), HAProxy pid {haproxy.Id}"));
            Console.WriteLine();
            Console.WriteLine("| round | method | configuration | requests/s | per node | errors | p50 ms | p99 ms | serve CPU ms each | per serve CPU-second | PostgreSQL / HAProxy CPU ms each | load average |");
            Console.WriteLine("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            var failed = false;
            // Round 0 is not recorded: a short pass of every figure first, so serve's JIT has compiled the hot paths.
            for (var round = 0; round <= rounds; round++)
            {
                foreach (var method in new[] { "mtls", "sig" })
                {
                    foreach (var configuration in configurations)
                    {
                        var http = Enumerable.Range(0, clients).Select(i => Client(method, i, configuration.Data, dataS)).ToList();
                        try
                        {
                            var url = $"https://localhost:{configuration.Port.ToString(CultureInfo.InvariantCulture)}/{(method == "mtls" ? "m" : "sig")}/items/42";
                            var requests = http.Select(c => (NodeLoad.Request)(async cancel =>
                            {
                                using var response = await c.GetAsync(url, cancel);
                                return NodeLoad.NodeOf(response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancel), configuration.Nodes);
                            })).ToList();
                            var pgBefore = postgres.CpuMilliseconds();
                            var haBefore = NodeLoad.CpuMilliseconds(haproxy.Id);
                            var result = await NodeLoad.Measure($"{method} {configuration.Name}", requests, configuration.Pids, configuration.Nodes, WarmUp, TimeSpan.FromSeconds(round == 0 ? 2 : seconds));
                            var pg = (postgres.CpuMilliseconds() - pgBefore) / Math.Max(1, result.Answered);
                            var ha = (NodeLoad.CpuMilliseconds(haproxy.Id) - haBefore) / Math.Max(1, result.Answered);
                            failed |= result.Errors > 0;
                            if (round > 0)
                            {
                                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"| {round} | {method} | {configuration.Name} | {result.PerSecond:N0} | {string.Join(" / ", result.PerNode.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))} | {result.Errors} | {result.P50:0.00} | {result.P99:0.00} | {result.ServeCpuMs / Math.Max(1, result.Answered):0.000} | {result.PerServeCpuSecond:N0} | {(configuration.Nodes == 2 ? $"{pg:0.000} / {ha:0.000}" : "–")} | {NodeLoad.LoadAverage()} |"));
                            }
                        }
                        finally
                        {
                            http.ForEach(c => c.Dispose());
                        }
                    }
                }
            }

            return failed ? 1 : 0;
        }
        finally
        {
            if (haproxy is not null)
            {
                haproxy.Kill();
                await haproxy.WaitForExitAsync();
                haproxy.Dispose();
            }

            started.Reverse();
            foreach (var item in started)
            {
                await item.DisposeAsync();
            }

            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<ServeProcess> Started(Task<ServeProcess> starting, List<IAsyncDisposable> started)
    {
        var serve = await starting;
        started.Add(serve);
        return serve;
    }

    private static async Task Cli(string program, params string[] args)
    {
        var result = program == "cp" ? await Tool.Run("cp", args) : await Tool.MutualAuth([program, .. args]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)}: {result}");
        }
    }

    /// <summary>Client <paramref name="i"/> of the configuration on <paramref name="data"/>: its certificate (mtls) or its HMAC key (sig).</summary>
    private static HttpClient Client(string method, int i, string data, string certificates)
    {
        var folder = new DataFolder(data);
        var anchor = X509CertificateLoader.LoadCertificateFromFile(folder.RootCertificatePath);
        var n = i.ToString(CultureInfo.InvariantCulture);
        if (method == "mtls")
        {
            var identity = Path.Combine(certificates, "identities", "c" + n);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(Path.Combine(identity, "chain.pem"));
            var options = new MutualTlsClientOptions
            {
                ClientCertificate = X509Certificate2.CreateFromPemFile(Path.Combine(identity, "cert.pem"), Path.Combine(identity, "key.pem")),
                ServerTrust = new TrustPolicy { TrustAnchors = [anchor], Purpose = CertificatePurpose.ServerAuthentication, Revocation = RevocationMode.None },
            };
            // The intermediate too: the PostgreSQL nodes know this CA only by its root (--trust).
            options.ClientCertificateChain.AddRange(chain.Skip(1).ToArray());
            var transport = MutualTlsHttpHandler.Create(options, TimeProvider.System);
            transport.MaxConnectionsPerServer = 1;
            return new HttpClient(transport);
        }

        var credential = SignatureCredential.Load(folder.ClientCredentialPath("k" + n));
        return new HttpClient(new HttpSignatureHandler(new HttpSignatureClientOptions
        {
            KeyId = credential.KeyId,
            Key = credential.ClientKey(),
            ServerKeyId = credential.ServerKeyId,
            ServerKey = credential.ServerKey(),
        })
        {
            InnerHandler = LoadHarness.ServerVerifyingTransport(anchor),
        });
    }

    private sealed record Configuration(string Name, int Port, int[] Pids, int Nodes, string Data);
}
