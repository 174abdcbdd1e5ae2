using System.Net;
using MutualAuth.Certificates;
using MutualAuth.Cli.Commands;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli;

/// <summary>
/// Zero-config first run of <c>serve</c>: whatever is missing of a CA, the server identity and a first
/// client identity is created, so an empty data folder becomes a working gateway.
/// </summary>
internal static class FirstRun
{
    public const string ServerIdentity = "server";
    public const string ClientIdentity = "client";

    /// <summary>The first client identity is a demo credential: it lives 30 days rather than the profile's 24 hours.</summary>
    public static readonly TimeSpan DemoClientLifetime = TimeSpan.FromDays(30);

    /// <summary>Creates what is missing; returns a line per thing created.</summary>
    public static async Task<IReadOnlyList<string>> EnsureAsync(LocalCertificateAuthority ca, string serverIdentity, CancellationToken cancellationToken)
    {
        var created = new List<string>();
        if (!await ca.IsInitializedAsync(cancellationToken))
        {
            await ca.InitializeAsync("MutualAuth", KeyAlgorithm.EcdsaP256, cancellationToken: cancellationToken);
            created.Add($"a CA (root + intermediate, P-256) in {ca.Folder.CaDirectory}");
        }

        var server = CaIssueCommand.IdentityFor(ca.Folder, serverIdentity);
        if (!server.Exists)
        {
            if (serverIdentity != ServerIdentity)
            {
                throw CliException.Usage($"no identity '{serverIdentity}' in {ca.Folder.Root}; issue it with 'mutualauth ca issue server --name {serverIdentity} --dns …'.");
            }

            using var issued = await ca.IssueAsync(serverIdentity, new LeafRequest
            {
                CommonName = "localhost",
                DnsNames = ["localhost"],
                IpAddresses = [IPAddress.Loopback, IPAddress.IPv6Loopback],
                Profile = CertificateProfile.Server,
            }, server, cancellationToken);
            created.Add($"a server certificate for localhost, 127.0.0.1 and ::1 in {server.Directory}");
        }

        if (!(await ca.Store.ListIssuedAsync(cancellationToken)).Any(r => r.Profile == CertificateProfile.Client.Name))
        {
            var client = CaIssueCommand.IdentityFor(ca.Folder, ClientIdentity);
            using var issued = await ca.IssueAsync(ClientIdentity, new LeafRequest
            {
                CommonName = ClientIdentity,
                DnsNames = [ClientIdentity],
                Profile = CertificateProfile.Client,
                NotAfter = DateTimeOffset.UtcNow + DemoClientLifetime,
            }, client, cancellationToken);
            created.Add($"a first client identity '{ClientIdentity}' (valid {DemoClientLifetime.TotalDays:0} days) in {client.Directory}");
        }

        return created;
    }
}
