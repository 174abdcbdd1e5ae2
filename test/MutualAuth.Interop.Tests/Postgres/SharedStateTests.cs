using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;
using MutualAuth.Testing.WebAuthn;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>
/// Two <c>mutualauth serve --store</c> nodes on one PostgreSQL 15: an OAuth client and a WebAuthn enrolment link made with
/// the CLI against the store, and a passkey registered through one node, work on the other.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed partial class SharedStateTests(PostgresServer server) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-shared-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_client_added_with_the_cli_against_the_store_gets_tokens_from_both_nodes_until_it_is_removed_through_either()
    {
        var store = await server.CreateStoreDatabase("tokens_" + Guid.NewGuid().ToString("N")[..8], "tokens-Store-pw");
        var (folderA, folderB) = (Path.Combine(_root, "a"), Path.Combine(_root, "b"));
        await using var nodeA = await ServeProcess.Start(folderA, "--route", "/=token", "--store", store, "--node-name", "a");
        var added = await Tool.MutualAuth("client", "add", "svc", "--scope", "read", "--store", store, "--data-dir", folderA);
        Assert.True(added.ExitCode == 0, added.ToString());
        var onA = await Tool.MutualAuth("call", nodeA.Url(), "--client", "svc", "--data-dir", folderA);
        Assert.True(onA.ExitCode == 0, onA + nodeA.Output);
        SharedSessionTests.CopyFolder(folderA, folderB); // with the token signing key and the credential file
        await using var nodeB = await ServeProcess.Start(folderB, "--route", "/=token", "--store", store, "--node-name", "b");

        var onB = await Tool.MutualAuth("call", nodeB.Url(), "--client", "svc", "--data-dir", folderB);
        Assert.True(onB.ExitCode == 0, onB + nodeB.Output);
        Assert.Contains("\"subject\": \"svc\"", onB.StdOut, StringComparison.Ordinal);
        var listed = await Tool.MutualAuth("client", "list", "--json", "--store", store, "--data-dir", folderB);
        Assert.Contains("\"clientId\": \"svc\"", listed.StdOut, StringComparison.Ordinal);
        var removed = await Tool.MutualAuth("client", "remove", "svc", "--store", store, "--data-dir", folderB);
        Assert.True(removed.ExitCode == 0, removed.ToString());

        // The credential file is still in A's folder; the store no longer knows the client.
        var refused = await Tool.MutualAuth("call", nodeA.Url(), "--client", "svc", "--data-dir", folderA);
        Assert.Equal(1, refused.ExitCode);
        foreach (var result in new[] { added, onA, onB, listed, removed, refused })
        {
            Assert.DoesNotContain("tokens-Store-pw", result.StdOut + result.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_passkey_enrolled_through_node_A_by_a_cli_link_logs_in_on_node_B_with_a_challenge_node_A_issued()
    {
        var store = await server.CreateStoreDatabase("passkeys_" + Guid.NewGuid().ToString("N")[..8], "passkeys-Store-pw");
        var (folderA, folderB) = (Path.Combine(_root, "a"), Path.Combine(_root, "b"));
        await using var nodeA = await ServeProcess.Start(folderA, "--route", "/whoami=webauthn", "--store", store, "--node-name", "a");
        SharedSessionTests.CopyFolder(folderA, folderB);
        await using var nodeB = await ServeProcess.Start(folderB, "--route", "/whoami=webauthn", "--store", store, "--node-name", "b");
        using var http = Client(new DataFolder(folderA));
        using var authenticator = new SoftwareAuthenticator { Origin = Origin(nodeA) };

        // The link is made through B's data folder and the store; A takes it.
        var invite = await Tool.MutualAuth("webauthn", "invite", "alice", "--origin", Origin(nodeB), "--store", store, "--data-dir", folderB);
        Assert.True(invite.ExitCode == 0, invite.ToString());
        var inviteId = InviteId().Match(invite.StdOut).Groups[1].Value;
        var start = await Post(http, nodeA, "/webauthn/api/enrol/options", new JsonObject { ["invite"] = inviteId });
        var registered = await Post(http, nodeA, "/webauthn/api/register", new JsonObject
        {
            ["challengeId"] = start.Body.GetProperty("challengeId").GetString(),
            ["credential"] = JsonNode.Parse(authenticator.Create(start.Body.GetProperty("publicKey")).GetRawText()),
        });
        Assert.Equal("alice", registered.Body.GetProperty("user").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(http, nodeB, "/webauthn/api/enrol/options", new JsonObject { ["invite"] = inviteId }, HttpStatusCode.Forbidden)).Status);

        // Options from A, the assertion to B (for B's origin: the RP ID localhost covers both).
        var options = await Post(http, nodeA, "/webauthn/api/login/options", new JsonObject { ["userName"] = "alice" });
        authenticator.Origin = Origin(nodeB);
        var login = new JsonObject
        {
            ["challengeId"] = options.Body.GetProperty("challengeId").GetString(),
            ["credential"] = JsonNode.Parse(authenticator.Get(options.Body.GetProperty("publicKey")).GetRawText()),
        };
        var done = await Post(http, nodeB, "/webauthn/api/login", login);
        var cookie = done.Response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(http, nodeA, "/webauthn/api/login", login, HttpStatusCode.Forbidden)).Status); // the challenge is gone

        // B's session cookie opens A's route (shared key ring) until the passkey is removed through the CLI.
        Assert.Equal(HttpStatusCode.OK, await WhoAmI(http, nodeA, cookie));
        var listed = await Tool.MutualAuth("webauthn", "list", "alice", "--json", "--store", store, "--data-dir", folderA);
        Assert.Contains("\"signCount\": 1", listed.StdOut, StringComparison.Ordinal);
        var removed = await Tool.MutualAuth("webauthn", "remove", "alice", "--store", store, "--data-dir", folderA);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.NotEqual(HttpStatusCode.OK, await WhoAmI(http, nodeB, cookie));
    }

    private static string Origin(ServeProcess node) => $"https://localhost:{node.Port}";

    private static HttpClient Client(DataFolder folder)
    {
        var root = X509CertificateLoader.LoadCertificateFromFile(folder.RootCertificatePath);
        var intermediate = X509CertificateLoader.LoadCertificateFromFile(folder.IntermediateCertificatePath);
        var handler = new SocketsHttpHandler { UseCookies = false };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(root);
            chain.ChainPolicy.ExtraStore.Add(intermediate);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is X509Certificate2 leaf && chain.Build(leaf);
        };
        return new HttpClient(handler);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Post(HttpClient http, ServeProcess node, string path, JsonObject body,
        HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        var response = await http.PostAsync(new Uri(Origin(node) + path), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path} on {node.Port}: {(int)response.StatusCode} {text}\n{node.Output}");
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default, response);
    }

    private static async Task<HttpStatusCode> WhoAmI(HttpClient http, ServeProcess node, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Origin(node) + "/whoami"));
        request.Headers.Add("Cookie", cookie);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [GeneratedRegex(@"\?invite=([A-Za-z0-9_-]+)")]
    private static partial Regex InviteId();
}
