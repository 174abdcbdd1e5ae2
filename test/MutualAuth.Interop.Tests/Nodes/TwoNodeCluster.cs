using System.Globalization;
using System.Net.Sockets;
using MutualAuth.Interop.Tests.Postgres;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;
using Npgsql;

namespace MutualAuth.Interop.Tests.Nodes;

/// <summary>
/// Two <c>mutualauth serve --store</c> nodes (<c>a</c> and <c>b</c>) on one throwaway PostgreSQL 15, behind Debian's HAProxy in
/// TCP mode (TLS ends at the nodes), round robin: every new TCP connection goes to the other node. The config is generated
/// on free ports in a temporary folder; every process is killed at dispose. Before node B starts, node A's data folder
/// (CA keys, secrets) is copied to it as docs/operations.md says, with a client certificate, a signature key and a SCRAM
/// user already made with the CLI against the store.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xUnit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed partial class TwoNodeCluster : IAsyncLifetime
{
    public const string HaproxyPath = "/usr/sbin/haproxy";
    public const string AlicePassword = "alice-two-nodes-5d2b";

    private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-cluster-").FullName;
    private readonly PostgresServer _postgres = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _haproxyLog = new();
    private System.Diagnostics.Process? _haproxy;

    /// <summary>The store's connection string (with its password).</summary>
    public string Store { get; private set; } = "";

    internal ServeProcess NodeA { get; private set; } = null!;

    internal ServeProcess NodeB { get; private set; } = null!;

    /// <summary>HAProxy's port on 127.0.0.1.</summary>
    public int Port { get; } = Tool.FreePort();

    public string FolderA => Path.Combine(_root, "a");

    public string FolderB => Path.Combine(_root, "b");

    /// <summary>A third copy of node A's folder, for the CLI (so neither node's CRL file is written by it).</summary>
    public string AdminFolder => Path.Combine(_root, "admin");

    /// <summary>A file holding <see cref="AlicePassword"/>.</summary>
    public string AlicePasswordFile => Path.Combine(_root, "alice.pw");

    public string RootCertificate => new DataFolder(FolderA).RootCertificatePath;

    /// <summary>The client identity <c>laptop</c> issued with <c>ca issue client --store</c>.</summary>
    public IdentityFiles Laptop => new DataFolder(FolderA).Identity("laptop");

    /// <summary>The node (<c>a</c> or <c>b</c>) of each connection HAProxy closed, in order (its TCP log).</summary>
    public IReadOnlyList<string> Connections => [.. _haproxyLog.Select(l => ServerName().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    public string Url(string path = "/whoami") => $"https://localhost:{Port.ToString(CultureInfo.InvariantCulture)}{path}";

    public async Task InitializeAsync()
    {
        if (!File.Exists(HaproxyPath))
        {
            throw new InvalidOperationException($"HAProxy is not installed ({HaproxyPath} is missing): run ./test.sh, which installs haproxy, or 'apt-get install -y haproxy'.");
        }

        await _postgres.InitializeAsync();
        Store = await _postgres.CreateStoreDatabase("cluster", "cluster-Store-pw");
        await File.WriteAllTextAsync(AlicePasswordFile, AlicePassword + "\n");
        // sig before scram and mtls: a signed request is decided by its signature even when a certificate is presented.
        string[] args = ["--route", "/=sig,scram,mtls", "--store", Store];
        NodeA = await ServeProcess.Start(FolderA, [.. args, "--node-name", "a"]);
        await Cli("ca", "issue", "client", "--name", "laptop", "--store", Store, "--data-dir", FolderA);
        await Cli("key", "create", "--client", "svc", "--alg", "ecdsa-p256-sha256", "--store", Store, "--data-dir", FolderA);
        await Cli("user", "add", "alice", "--password-file", AlicePasswordFile, "--store", Store, "--data-dir", FolderA);
        SharedSessionTests.CopyFolder(FolderA, FolderB);
        SharedSessionTests.CopyFolder(FolderA, AdminFolder);
        NodeB = await ServeProcess.Start(FolderB, [.. args, "--node-name", "b"]);
        await StartHaproxy();
    }

    /// <summary>curl through HAProxy (a new TCP connection each time), trusting the cluster's CA.</summary>
    internal Task<ProcessResult> Curl(params string[] args) => CurlTo(Url(), args);

    /// <summary>curl to <paramref name="url"/> with <c>-sS</c>, a 20 s limit and the cluster's CA.</summary>
    internal Task<ProcessResult> CurlTo(string url, params string[] args) =>
        Tool.Run("curl", ["-sS", "--max-time", "20", "--cacert", RootCertificate, .. args, url]);

    /// <summary>Runs a query on the store and returns the first column of the first row.</summary>
    public async Task<object?> Scalar(string sql)
    {
        await using var connection = new NpgsqlConnection(Store);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async Task DisposeAsync()
    {
        if (_haproxy is { HasExited: false })
        {
            _haproxy.Kill(entireProcessTree: true);
            await _haproxy.WaitForExitAsync();
        }

        _haproxy?.Dispose();
        if (NodeB is not null)
        {
            await NodeB.DisposeAsync();
        }

        if (NodeA is not null)
        {
            await NodeA.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private static async Task Cli(params string[] args)
    {
        var result = await Tool.MutualAuth(args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"mutualauth {string.Join(' ', args.Where(a => !a.Contains("Password=", StringComparison.Ordinal)))} failed: {result}");
        }
    }

    private async Task StartHaproxy()
    {
        var config = Path.Combine(_root, "haproxy.cfg");
        await File.WriteAllTextAsync(config, $"""
            global
                maxconn 256
                log stdout format raw local0 info

            defaults
                mode tcp
                log global
                option tcplog
                timeout connect 5s
                timeout client 30s
                timeout server 30s

            frontend mutualauth
                bind 127.0.0.1:{Port}
                default_backend nodes

            backend nodes
                balance roundrobin
                server a 127.0.0.1:{NodeA.Port}
                server b 127.0.0.1:{NodeB.Port}

            """);
        _haproxy = new System.Diagnostics.Process { StartInfo = Tool.StartInfo(HaproxyPath, ["-f", config, "-db"]) };
        _haproxy.OutputDataReceived += (_, e) => _haproxyLog.Enqueue(e.Data ?? "");
        _haproxy.ErrorDataReceived += (_, e) => _haproxyLog.Enqueue(e.Data ?? "");
        _haproxy.Start();
        _haproxy.BeginOutputReadLine();
        _haproxy.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_haproxy.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" nodes/(a|b) ")]
    private static partial System.Text.RegularExpressions.Regex ServerName();
}
