using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>
/// A throwaway PostgreSQL 15 cluster of our own: a temporary folder, <c>initdb</c> with SCRAM-SHA-256 for TCP
/// and trust for the Unix socket, a free loopback port, TLS with a P-256 certificate from a test CA, and
/// <c>hostssl</c>/<c>hostnossl</c> rules for 127.0.0.1 that demand SCRAM. The server refuses to run as root, so
/// when we are root everything runs as the <c>postgres</c> OS user. Missing binaries fail the tests (test.sh installs them).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private static readonly bool IsRoot = Environment.UserName == "root";

    private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-pg-").FullName;
    private bool _started;
    private string _options = "";

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; } = Tool.FreePort();

    /// <summary>The certificate the server presents (P-256, ecdsa-with-SHA256: tls-server-end-point uses SHA-256).</summary>
    public X509Certificate2 Certificate { get; private set; } = null!;

    /// <summary>Another certificate of the same CA that the server does not use: its binding is the wrong one.</summary>
    public X509Certificate2 OtherCertificate { get; private set; } = null!;

    private string DataDirectory => Path.Combine(_root, "data");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "postgres")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}/postgres is missing): run ./test.sh, which installs postgresql-15, or 'apt-get install -y postgresql-15'.");
        }

        WriteServerCertificate();
        File.WriteAllText(Path.Combine(_root, "pg_hba.conf"), """
            local     all  all                 trust
            hostssl   all  all  127.0.0.1/32   scram-sha-256
            hostnossl all  all  127.0.0.1/32   scram-sha-256

            """);
        if (IsRoot)
        {
            Check(await Tool.Run("chown", ["-R", "postgres:postgres", _root]), "chown");
        }

        Check(await AsPostgres("initdb", "-D", DataDirectory, "--auth-host=scram-sha-256", "--auth-local=trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"), "initdb");
        _options = string.Join(' ', [
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}", $"-k {_root}", "-c listen_addresses=127.0.0.1",
            $"-c hba_file={Path.Combine(_root, "pg_hba.conf")}", "-c password_encryption=scram-sha-256",
            "-c ssl=on", $"-c ssl_cert_file={Path.Combine(_root, "server.crt")}", $"-c ssl_key_file={Path.Combine(_root, "server.key")}",
            "-c fsync=off", "-c max_connections=200"]);
        await StartAsync();
    }

    /// <summary>Starts the cluster again after <see cref="StopAsync"/>, on the same port; returns once it accepts connections.</summary>
    public async Task StartAsync()
    {
        Check(await AsPostgres("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-o", _options, "-w", "-t", "60", "start"), "pg_ctl start");
        _started = true;
    }

    /// <summary>Stops the cluster (fast mode: sessions are terminated, as in a fail-over or a restart).</summary>
    public async Task StopAsync()
    {
        Check(await AsPostgres("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"), "pg_ctl stop");
        _started = false;
    }

    /// <summary>Runs SQL as the superuser over the Unix socket (trust) and returns psql's unaligned, tuples-only output.</summary>
    public async Task<string> Sql(string sql)
    {
        var result = await AsPostgres("psql", "-h", _root, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", "postgres",
            "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql);
        Check(result, "psql");
        return result.StdOut.TrimEnd('\n');
    }

    /// <summary>(Re)creates a login role whose PASSWORD is a plain password (hashed by PostgreSQL) or a SCRAM verifier (stored as is).</summary>
    public Task CreateRole(string name, string passwordOrVerifier) =>
        Sql($"SET password_encryption = 'scram-sha-256'; DROP ROLE IF EXISTS {name}; CREATE ROLE {name} LOGIN PASSWORD '{passwordOrVerifier.Replace("'", "''", StringComparison.Ordinal)}';");

    /// <summary>Creates a database owned by a new login role of the same name and returns the connection string a store uses (password included).</summary>
    public async Task<string> CreateStoreDatabase(string name, string password)
    {
        await CreateRole(name, password);
        await Sql($"DROP DATABASE IF EXISTS {name}");
        await Sql($"CREATE DATABASE {name} OWNER {name}");
        return $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Database={name};Username={name};Password={password};SSL Mode=Disable";
    }

    /// <summary>The verifier PostgreSQL stores for a role (<c>pg_authid.rolpassword</c>).</summary>
    public Task<string> StoredVerifier(string role) => Sql($"SELECT rolpassword FROM pg_authid WHERE rolname = '{role}'");

    /// <summary>What the server logged (for failure messages).</summary>
    public string Log => File.Exists(Path.Combine(_root, "server.log")) ? File.ReadAllText(Path.Combine(_root, "server.log")) : "";

    public async Task DisposeAsync()
    {
        if (_started)
        {
            await AsPostgres("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
        }

        Directory.Delete(_root, recursive: true);
    }

    private void WriteServerCertificate()
    {
        // TestPki's clock is fixed months before today; the leaves get a validity window around the real now.
        using var pki = new TestPki(KeyAlgorithm.EcdsaP256, "PostgreSQL Test");
        var now = DateTimeOffset.UtcNow;
        LeafRequest Validity(LeafRequest r) => r with { NotBefore = now.AddHours(-1), NotAfter = now.AddDays(1) };
        using var server = pki.Server("localhost", Validity);
        using var other = pki.Server("localhost", Validity);
        Certificate = X509CertificateLoader.LoadCertificate(server.Certificate.RawData);
        OtherCertificate = X509CertificateLoader.LoadCertificate(other.Certificate.RawData);
        File.WriteAllText(Path.Combine(_root, "server.crt"), server.CertificatePem);
        var key = Path.Combine(_root, "server.key");
        File.WriteAllText(key, server.PrivateKey!.ExportPkcs8Pem());
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Runs a PostgreSQL program as the <c>postgres</c> OS user when we are root (the server refuses root), else as ourselves.</summary>
    private Task<ProcessResult> AsPostgres(string program, params string[] args) =>
        IsRoot
            ? Tool.Run("runuser", ["-u", "postgres", "--", Path.Combine(BinDirectory, program), .. args], workingDirectory: _root)
            : Tool.Run(Path.Combine(BinDirectory, program), args, workingDirectory: _root);

    private void Check(ProcessResult result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed: {result}\n--- server log\n{Log}");
        }
    }
}
