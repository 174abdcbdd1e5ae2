using System.Globalization;
using MutualAuth.Testing;

namespace MutualAuth.Benchmarks;

/// <summary>
/// A throwaway PostgreSQL 15 cluster for the <c>cluster</c> mode (as test/MutualAuth.Interop.Tests/Postgres/PostgresServer.cs,
/// without TLS): a temporary folder, <c>initdb</c>, trust for 127.0.0.1, a free port, default durability (fsync and
/// synchronous commit on). As root, everything runs as the <c>postgres</c> OS user (the server refuses root).
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private static readonly bool IsRoot = Environment.UserName == "root";
    private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-bench-pg-").FullName;
    private bool _started;

    public int Port { get; } = Tool.FreePort();

    /// <summary>The connection string for the nodes and the CLI (no password: trust on loopback).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Database=postgres;Username=postgres";

    /// <summary>The postmaster's process id (its CPU time is reported next to the nodes').</summary>
    public int ProcessId { get; private set; }

    public static async Task<BenchPostgres> Start()
    {
        if (!File.Exists(Path.Combine(Bin, "postgres")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({Bin}/postgres): apt-get install -y postgresql-15");
        }

        var server = new BenchPostgres();
        try
        {
            await server.Init();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task Init()
    {
        var data = Path.Combine(_root, "data");
        File.WriteAllText(Path.Combine(_root, "pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n");
        if (IsRoot)
        {
            Check(await Tool.Run("chown", ["-R", "postgres:postgres", _root]), "chown");
        }

        Check(await AsPostgres("initdb", "-D", data, "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"), "initdb");
        var options = string.Join(' ', [
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}", $"-k {_root}", "-c listen_addresses=127.0.0.1",
            $"-c hba_file={Path.Combine(_root, "pg_hba.conf")}", "-c max_connections=200"]);
        Check(await AsPostgres("pg_ctl", "-D", data, "-l", Path.Combine(_root, "server.log"), "-o", options, "-w", "-t", "60", "start"), "pg_ctl start");
        _started = true;
        ProcessId = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
    }

    /// <summary>CPU milliseconds of the postmaster and all its backends (they come and go; summed over the current ones).</summary>
    public double CpuMilliseconds()
    {
        var total = NodeLoad.CpuMilliseconds(ProcessId);
        foreach (var child in File.ReadAllText($"/proc/{ProcessId.ToString(CultureInfo.InvariantCulture)}/task/{ProcessId.ToString(CultureInfo.InvariantCulture)}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                total += NodeLoad.CpuMilliseconds(int.Parse(child, CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // The backend ended meanwhile.
            }
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await AsPostgres("pg_ctl", "-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop");
        }

        Directory.Delete(_root, recursive: true);
    }

    private static Task<ProcessResult> AsPostgres(string tool, params string[] args) =>
        IsRoot ? Tool.Run("runuser", ["-u", "postgres", "--", Path.Combine(Bin, tool), .. args], workingDirectory: "/tmp") : Tool.Run(Path.Combine(Bin, tool), args);

    private static void Check(ProcessResult result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed: {result}");
        }
    }
}
