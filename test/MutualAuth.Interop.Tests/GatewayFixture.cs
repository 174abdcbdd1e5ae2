using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

/// <summary>
/// A data folder set up with the CLI (CA, clients, a revoked one), certificates outside their validity made
/// with the library, an openssl-made CA that the gateway trusts and one it does not, and a running gateway.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string AliceUri = "spiffe://example.org/ns/test/sa/alice";

    private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-interop-").FullName;

    public string DataDirectory => Path.Combine(_root, "data");

    public DataFolder Folder => new(DataDirectory);

    internal ServeProcess Gateway { get; private set; } = null!;

    internal OpensslCa TrustedOpensslCa { get; private set; } = null!;

    internal (string Certificate, string Key) Carol { get; private set; }

    internal (string Certificate, string Key) Eve { get; private set; }

    public Dictionary<string, string> Serials { get; } = [];

    /// <summary>Identities in the data folder the gateway must refuse (null: no certificate), and the reason code.</summary>
    public static TheoryData<string?, string> RefusedIdentities { get; } = new()
    {
        { null, "no-certificate" },
        { "expired", "expired" },
        { "future", "not-yet-valid" },
        { "svc", "eku-missing" },
        { "mallory", "revoked" },
    };

    public async Task InitializeAsync()
    {
        await Cli("ca", "init", "--name", "Interop");
        await Cli("ca", "issue", "client", "--name", "alice", "--uri", AliceUri);
        await Cli("ca", "issue", "client", "--name", "bob");
        await Cli("ca", "issue", "client", "--name", "mallory");
        await Cli("ca", "issue", "server", "--name", "svc", "--dns", "svc.example");
        var ca = new LocalCertificateAuthority(Folder, TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        await IssueAt(ca, "expired", now.AddDays(-10), now.AddDays(-1));
        await IssueAt(ca, "future", now.AddDays(1), now.AddDays(10));
        foreach (var record in await ca.Store.ListIssuedAsync())
        {
            Serials[record.Name] = record.SerialNumber;
        }

        await Cli("ca", "revoke", Serials["mallory"], "--reason", "keyCompromise");

        TrustedOpensslCa = await OpensslCa.Create(Path.Combine(_root, "openssl-trusted"), "OpenSSL Trusted CA");
        Carol = await TrustedOpensslCa.IssueClient("carol");
        var untrusted = await OpensslCa.Create(Path.Combine(_root, "openssl-untrusted"), "OpenSSL Untrusted CA");
        Eve = await untrusted.IssueClient("eve");

        Gateway = await ServeProcess.Start(DataDirectory, "--trust", TrustedOpensslCa.CertificatePath, "--crl", TrustedOpensslCa.CrlPath);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    public IdentityFiles Identity(string name) => Folder.Identity(name);

    public string RootPath => Folder.RootCertificatePath;

    /// <summary>Runs mutualauth with this data folder and fails on a non-zero exit.</summary>
    internal async Task<ProcessResult> Cli(params string[] args)
    {
        var result = await Tool.MutualAuth([.. args, "--data-dir", DataDirectory]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>Runs mutualauth with this data folder, whatever its exit code.</summary>
    internal Task<ProcessResult> CliAnyExit(params string[] args) => Tool.MutualAuth([.. args, "--data-dir", DataDirectory]);

    /// <summary>Audit events as JSON text.</summary>
    internal async Task<string> AuditJson() => (await Cli("audit", "--json", "--limit", "1000")).StdOut;

    public static async Task IssueAt(LocalCertificateAuthority ca, string name, DateTimeOffset notBefore, DateTimeOffset notAfter, CertificateProfile? profile = null)
    {
        profile ??= CertificateProfile.Client;
        using var issued = await ca.IssueAsync(name, new LeafRequest
        {
            CommonName = name,
            DnsNames = [profile == CertificateProfile.Server ? "localhost" : name],
            IpAddresses = profile == CertificateProfile.Server ? [System.Net.IPAddress.Loopback] : [],
            Profile = profile,
            NotBefore = notBefore,
            NotAfter = notAfter,
        }, ca.Folder.Identity(name));
        Assert.NotNull(issued.Certificate as X509Certificate2);
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayTests : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
