using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Http;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>
/// PostgreSQL 15 stopped and started again under load: two <c>serve --store</c> nodes on a signed route (each request's
/// nonce is a store insert) answer 503 with <c>Retry-After</c> while it is down, never accept, recover by themselves,
/// and the audit table ends with exactly one event per response the clients counted.
/// </summary>
// Its own cluster (the shared one must not disappear under the other tests), on one port across the restart; run
// alone, as its bounds are timings (a starved test process sees its answers late).
[Collection(Name)]
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    public const string Name = "database-outage";
    private const int ClientsPerNode = 2;
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(5);
    private readonly PostgresServer _server = new();
    private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-outage-").FullName;

    public Task InitializeAsync() => _server.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Requests_get_503_while_the_database_is_down_the_nodes_recover_and_the_audit_counts_every_response()
    {
        // A small pool per node: the test cluster allows 20 connections.
        var store = await _server.CreateStoreDatabase("outage", "outage-Store-pw") + ";Maximum Pool Size=6";
        var folderA = Path.Combine(_root, "a");
        var folderB = Path.Combine(_root, "b");
        await using var nodeA = await ServeProcess.Start(folderA, "--route", "/=sig", "--store", store, "--node-name", "a", "--log-level", "information");
        var created = await Tool.MutualAuth("key", "create", "--client", "loader", "--alg", "hmac-sha256", "--store", store, "--data-dir", folderA);
        Assert.True(created.ExitCode == 0, created.ToString());
        SharedSessionTests.CopyFolder(folderA, folderB);
        await using var nodeB = await ServeProcess.Start(folderB, "--route", "/=sig", "--store", store, "--node-name", "b", "--log-level", "information");

        var clock = Stopwatch.StartNew();
        var responses = new ConcurrentBag<Response>();
        using var stopLoad = new CancellationTokenSource();
        var clients = new[] { nodeA, nodeB }.SelectMany(node => Enumerable.Range(0, ClientsPerNode).Select(_ => Load(node, node == nodeA ? "a" : "b", folderA, clock, responses, stopLoad.Token))).ToList();

        await Task.Delay(TimeSpan.FromSeconds(2));
        var stopping = clock.Elapsed;
        await _server.StopAsync();
        var stopped = clock.Elapsed;
        // Down for 3 s, and until every client has had answers while it was down (a slow machine answers late).
        while (clock.Elapsed < stopped + TimeSpan.FromSeconds(15)
               && (clock.Elapsed < stopped + TimeSpan.FromSeconds(3) || responses.Count(r => r.Sent >= stopped) < 4 * ClientsPerNode))
        {
            await Task.Delay(100);
        }

        var starting = clock.Elapsed;
        await _server.StartAsync();
        var started = clock.Elapsed;
        var deadline = started + RecoveryBound + TimeSpan.FromSeconds(1);
        while (clock.Elapsed < deadline && !new[] { "a", "b" }.All(n => responses.Any(r => r.Node == n && r.Status == 200 && r.Sent >= started)))
        {
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        await stopLoad.CancelAsync();
        await Task.WhenAll(clients);

        var all = responses.ToList();
        var whileDown = all.Where(r => r.Sent >= stopped && r.Received <= starting).ToList();
        output.WriteLine($"responses {all.Count} (200: {all.Count(r => r.Status == 200)}, 503: {all.Count(r => r.Status == 503)}), while down {whileDown.Count}; stop took {(stopped - stopping).TotalMilliseconds:F0} ms, start {(started - starting).TotalMilliseconds:F0} ms");
        Assert.Empty(all.Where(r => r.Error is not null).Select(r => r.Error));
        // Every answer is an accept or a 503 with Retry-After: never a 500, never another refusal.
        Assert.All(all, r => Assert.True(r.Status == 200 || (r.Status == 503 && r.RetryAfter), $"{r.Status} retry-after {r.RetryAfter}"));
        Assert.NotEmpty(whileDown);
        Assert.All(whileDown, r => Assert.Equal(503, r.Status));
        Assert.All(all, r => Assert.True(r.Received - r.Sent < TimeSpan.FromSeconds(10), $"a request took {r.Received - r.Sent}"));
        foreach (var node in new[] { "a", "b" })
        {
            var firstAccept = all.Where(r => r.Node == node && r.Status == 200 && r.Sent >= started).Select(r => r.Received).DefaultIfEmpty(TimeSpan.MaxValue).Min();
            output.WriteLine($"node {node}: first accept {(firstAccept - started).TotalMilliseconds:F0} ms after the database was back");
            Assert.True(firstAccept - started < RecoveryBound, $"node {node} did not recover within {RecoveryBound}");
        }

        // The audit: one event per response, per node, with the decision the client saw, once the spools drained.
        var expected = all.GroupBy(r => (r.Node, r.Status)).ToDictionary(g => g.Key, g => (long)g.Count());
        var counted = new Dictionary<(string, int), long>();
        for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(15); await Task.Delay(200))
        {
            counted = await AuditCounts(store);
            if (counted.Count == expected.Count && expected.All(e => counted.GetValueOrDefault(e.Key) == e.Value))
            {
                break;
            }
        }

        output.WriteLine("audit: " + string.Join(", ", counted.OrderBy(c => c.Key).Select(c => $"{c.Key.Item1}/{c.Key.Item2}: {c.Value} (responses {expected.GetValueOrDefault(c.Key)})")));
        Assert.Equal(expected.OrderBy(e => e.Key), counted.OrderBy(c => c.Key));
        Assert.True(nodeA.Output.Contains("spooled on this node", StringComparison.Ordinal) || nodeB.Output.Contains("spooled on this node", StringComparison.Ordinal), nodeA.Output);
        Assert.False(File.Exists(Path.Combine(folderA, "audit-spool.jsonl")) || File.Exists(Path.Combine(folderB, "audit-spool.jsonl")), "a spool was left");
    }

    // Events by node and the status their response had: an accept is a 200, a store-unavailable refusal a 503.
    private static async Task<Dictionary<(string, int), long>> AuditCounts(string store)
    {
        await using var connection = new NpgsqlConnection(store);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT node, CASE WHEN decision = 'accept' AND reason_code = 'ok' THEN 200 WHEN reason_code = 'store-unavailable' THEN 503 ELSE 0 END, count(*)
            FROM audit_event WHERE method = 'sig' GROUP BY 1, 2
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<(string, int), long>();
        while (await reader.ReadAsync())
        {
            counts[(reader.GetString(0), reader.GetInt32(1))] = reader.GetInt64(2);
        }

        return counts;
    }

    private static async Task Load(ServeProcess node, string nodeName, string folder, Stopwatch clock, ConcurrentBag<Response> responses, CancellationToken stop)
    {
        var dataFolder = new DataFolder(folder);
        var credential = SignatureCredential.Load(dataFolder.ClientCredentialPath("loader"));
        var tls = new MutualTlsClientOptions
        {
            ServerTrust = new TrustPolicy
            {
                TrustAnchors = [X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(dataFolder.RootCertificatePath, stop))],
                Purpose = CertificatePurpose.ServerAuthentication,
                Revocation = RevocationMode.None,
            },
            ExpectedServerName = "localhost",
        };
        using var client = new HttpClient(MutualAuthHandlers.Create(tls, signatures: new HttpSignatureClientOptions { KeyId = credential.KeyId, Key = credential.ClientKey() }))
        {
            Timeout = TimeSpan.FromSeconds(15),
        };
        while (!stop.IsCancellationRequested)
        {
            var sent = clock.Elapsed;
            try
            {
                using var answer = await client.GetAsync(node.Url(), CancellationToken.None);
                responses.Add(new Response(nodeName, sent, clock.Elapsed, (int)answer.StatusCode, answer.Headers.RetryAfter is not null, null));
            }
            catch (Exception e) when (MutualAuthenticationException.Find(e) is { StatusCode: { } status } refused)
            {
                // The unsigned 503 arrives as the client's refusal of an unsigned answer, with the status and Retry-After.
                responses.Add(new Response(nodeName, sent, clock.Elapsed, status, refused.RetryAfter is not null, null));
                await Task.Delay(20, CancellationToken.None);
            }
            catch (Exception e) when (e is HttpRequestException or MutualAuthenticationException or TaskCanceledException)
            {
                responses.Add(new Response(nodeName, sent, clock.Elapsed, 0, false, e.Message));
            }
        }
    }

    private sealed record Response(string Node, TimeSpan Sent, TimeSpan Received, int Status, bool RetryAfter, string? Error);
}

/// <summary>Runs <see cref="DatabaseOutageTests"/> with no other test beside it.</summary>
[CollectionDefinition(DatabaseOutageTests.Name, DisableParallelization = true)]
public sealed class DatabaseOutageRunsAlone;
