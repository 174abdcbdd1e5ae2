using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using MutualAuth.Certificates;
using MutualAuth.Http;
using MutualAuth.Scram;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;
using Xunit.Abstractions;

namespace MutualAuth.Interop.Tests.Nodes;

/// <summary>
/// What several nodes must agree on, through HAProxy (round robin per TCP connection) in front of two <c>serve --store</c>
/// nodes: replay caches, SCRAM exchanges, session cookies, revocations and users (docs/operations.md).
/// </summary>
public sealed partial class TwoNodeTests(TwoNodeCluster cluster, ITestOutputHelper output) : IClassFixture<TwoNodeCluster>
{
    /// <summary>The bound docs/operations.md gives for a revocation to be refused by every node (LISTEN/NOTIFY path).</summary>
    private static readonly TimeSpan RevocationBound = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_signed_requests_nonce_used_on_one_node_is_refused_on_the_other()
    {
        var headers = await SignedHeaders(SignatureCredential.Load(new DataFolder(cluster.AdminFolder).ClientCredentialPath("svc")), cluster.Url());
        string[] replay = [.. headers.SelectMany(h => new[] { "-H", h })];
        var audited = await LastAuditId();

        var (first, firstNode) = await OnNextNode(() => cluster.Curl(["-i", .. replay]));
        var (second, secondNode) = await OnNextNode(() => cluster.Curl(["-i", .. replay]));

        Assert.NotEqual(firstNode, secondNode);
        Assert.True(first.ExitCode == 0 && first.StdOut.Contains("\"subject\": \"svc\"", StringComparison.Ordinal),
            $"{first}\n--- sent\n{string.Join('\n', headers)}\n--- node a\n{cluster.NodeA.Output}\n--- node b\n{cluster.NodeB.Output}");
        Assert.Matches(@"^HTTP/\S+ 401", second.StdOut);
        Assert.Equal(secondNode, await AuditNode("replayed-nonce", "svc", audited));
    }

    [Fact]
    public async Task A_scram_login_whose_round_trips_reach_different_nodes_succeeds()
    {
        var audited = await LastAuditId();
        using var serverCertificate = Certificate(new DataFolder(cluster.FolderA).Identity("server").CertificatePath);
        var mechanism = ScramMechanism.Sha256Plus;
        var client = new ScramClient(mechanism, "alice", TwoNodeCluster.AlicePassword, ScramChannelBinding.TlsServerEndPoint(serverCertificate));

        // Each curl is a new TCP connection, so HAProxy sends the two round trips to different nodes.
        var clientFirst = HttpAuthParameters.Format(mechanism.Name, (ScramHttp.Realm, "mutualauth"), (ScramHttp.Data, Base64(client.CreateClientFirst())));
        var (challenge, firstNode) = await OnNextNode(() => cluster.Curl("-i", "-H", "Authorization: " + clientFirst));
        var continued = Headers(challenge.StdOut, "www-authenticate")
            .Select(v => HttpAuthParameters.TryParse(v, out var scheme, out var p) && scheme == mechanism.Name && p.ContainsKey(ScramHttp.Sid) ? p : null)
            .Single(p => p is not null)!;
        var clientFinal = HttpAuthParameters.Format(mechanism.Name, (ScramHttp.Sid, continued[ScramHttp.Sid]),
            (ScramHttp.Data, Base64(client.CreateClientFinal(FromBase64(continued[ScramHttp.Data])))));
        var (final, finalNode) = await OnNextNode(() => cluster.Curl("-i", "-H", "Authorization: " + clientFinal));
        Assert.True(HttpAuthParameters.TryParse("x " + Headers(final.StdOut, "authentication-info").Single(), out _, out var info), final.StdOut);
        client.VerifyServerFinal(FromBase64(info[ScramHttp.Data]));

        Assert.NotEqual(firstNode, finalNode);
        Assert.Contains("\"subject\": \"alice\"", final.StdOut, StringComparison.Ordinal);
        Assert.True(client.IsAuthenticated);
        Assert.Equal(finalNode, await AuditNode("ok", "alice", audited));
        // Taken once: the same client-final again is refused, on either node.
        var (again, _) = await OnNextNode(() => cluster.Curl("-i", "-H", "Authorization: " + clientFinal));
        Assert.Matches(@"^HTTP/\S+ 401", again.StdOut);
    }

    [Fact]
    public async Task A_session_cookie_from_one_node_works_on_both_through_haproxy()
    {
        var login = await Tool.MutualAuth("call", cluster.Url(), "--user", "alice", "--password-file", cluster.AlicePasswordFile, "--include", "--data-dir", cluster.AdminFolder);
        Assert.True(login.ExitCode == 0, login.ToString());
        var cookie = SessionCookie().Match(login.StdOut);
        Assert.True(cookie.Success, login.StdOut);
        string[] withCookie = ["--cookie", $"{ScramHttp.SessionCookie}={cookie.Groups[1].Value}"];

        var (first, firstNode) = await OnNextNode(() => cluster.Curl(withCookie));
        var (second, secondNode) = await OnNextNode(() => cluster.Curl(withCookie));

        Assert.NotEqual(firstNode, secondNode);
        Assert.True(first.ExitCode == 0 && first.StdOut.Contains("\"subject\": \"alice\"", StringComparison.Ordinal), first.ToString());
        Assert.True(second.ExitCode == 0 && second.StdOut.Contains("\"subject\": \"alice\"", StringComparison.Ordinal), second.ToString());
    }

    [Fact]
    public async Task A_certificate_revoked_with_the_cli_against_the_store_is_refused_by_both_nodes_within_the_bound()
    {
        var laptop = cluster.Laptop;
        string[] withCertificate = ["--cert", laptop.CertificatePath, "--key", laptop.KeyPath];
        foreach (var node in new[] { cluster.NodeA, cluster.NodeB })
        {
            var before = await cluster.CurlTo(node.Url(), withCertificate);
            Assert.True(before.ExitCode == 0 && before.StdOut.Contains("\"subject\": \"laptop\"", StringComparison.Ordinal), before.ToString());
        }

        using var certificate = Certificate(laptop.CertificatePath);
        var revoke = await Tool.MutualAuth("ca", "revoke", SerialNumbers.Normalize(certificate.SerialNumber), "--store", cluster.Store, "--data-dir", cluster.AdminFolder);
        var clock = Stopwatch.StartNew();
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        var refusedAfter = new Dictionary<int, TimeSpan>();
        while (refusedAfter.Count < 2 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            foreach (var node in new[] { cluster.NodeA, cluster.NodeB }.Where(n => !refusedAfter.ContainsKey(n.Port)))
            {
                if ((await cluster.CurlTo(node.Url(), withCertificate)).ExitCode != 0)
                {
                    refusedAfter[node.Port] = clock.Elapsed;
                }
            }
        }

        output.WriteLine($"revocation refused by node a after {Ms(refusedAfter, cluster.NodeA)} ms, by node b after {Ms(refusedAfter, cluster.NodeB)} ms (from the CLI's exit; each probe is one curl)");
        Assert.Equal(2, refusedAfter.Count);
        Assert.All(refusedAfter.Values, t => Assert.True(t <= RevocationBound, $"refused after {t.TotalMilliseconds:0} ms, bound {RevocationBound.TotalMilliseconds:0} ms"));
        // Every node serves the same CRL (the one kept in the store), which lists the serial.
        var crlA = "";
        var crlB = "";
        for (var i = 0; i < 100 && (crlA.Length == 0 || crlA != crlB); i++)
        {
            await Task.Delay(100);
            crlA = await File.ReadAllTextAsync(new DataFolder(cluster.FolderA).CrlPath);
            crlB = await File.ReadAllTextAsync(new DataFolder(cluster.FolderB).CrlPath);
        }

        Assert.Equal(crlA, crlB);
        Assert.NotNull(CertificateRevocationList.Parse(Encoding.ASCII.GetBytes(crlB)).Find(certificate.SerialNumber));
    }

    [Fact]
    public async Task A_user_added_with_the_cli_against_the_store_logs_in_on_both_nodes()
    {
        var password = Path.Combine(cluster.AdminFolder, "bob.pw");
        await File.WriteAllTextAsync(password, "bob-on-every-node-91fa\n");
        var added = await Tool.MutualAuth("user", "add", "bob", "--password-file", password, "--store", cluster.Store, "--data-dir", cluster.AdminFolder);
        Assert.True(added.ExitCode == 0, added.ToString());

        foreach (var node in new[] { cluster.NodeA, cluster.NodeB })
        {
            var login = await Tool.MutualAuth("call", node.Url(), "--user", "bob", "--password-file", password, "--data-dir", cluster.AdminFolder);
            Assert.True(login.ExitCode == 0 && login.StdOut.Contains("\"subject\": \"bob\"", StringComparison.Ordinal), login.ToString());
        }
    }

    /// <summary>Runs one request through HAProxy and tells which node served it (HAProxy's log of the connection).</summary>
    private async Task<(ProcessResult Result, string Node)> OnNextNode(Func<Task<ProcessResult>> request)
    {
        var before = cluster.Connections.Count;
        var result = await request();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (cluster.Connections.Count == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return (result, cluster.Connections.Count > before ? cluster.Connections[^1] : throw new InvalidOperationException("HAProxy logged no connection:\n" + result));
    }

    private async Task<long> LastAuditId() => await cluster.Scalar("SELECT coalesce(max(id), 0) FROM audit_event") is long id ? id : 0;

    /// <summary>The node that audited an event with <paramref name="reason"/> for <paramref name="subject"/> after <paramref name="afterId"/> (the audit is written in batches).</summary>
    private async Task<string?> AuditNode(string reason, string subject, long afterId)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await cluster.Scalar($"SELECT node FROM audit_event WHERE id > {afterId} AND reason_code = '{reason}' AND subject = '{subject}' ORDER BY id DESC LIMIT 1") is string node)
            {
                return node;
            }

            await Task.Delay(100);
        }

        return null;
    }

    /// <summary>The headers our signer adds to a GET of <paramref name="url"/>, as curl <c>-H</c> values (captured, never sent).</summary>
    private static async Task<List<string>> SignedHeaders(SignatureCredential credential, string url)
    {
        var capture = new CapturingHandler();
        using var signer = new HttpSignatureHandler(new HttpSignatureClientOptions
        {
            KeyId = credential.KeyId,
            Key = credential.ClientKey(),
            ServerKeyId = credential.ServerKeyId,
            ServerKey = credential.ServerKey(),
        }) { InnerHandler = new SignOnSendHandler { InnerHandler = capture } };
        using var http = new HttpClient(signer);
        // The captured request gets an unsigned answer, which the signer refuses: expected.
        await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync(url));
        return capture.Headers;
    }

    private static X509Certificate2 Certificate(string pemFile)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(pemFile);
        return certificates[0];
    }

    private static string[] Headers(string response, string name) =>
        [.. response.Split('\n').Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)).Select(l => l[(name.Length + 1)..].Trim())];

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string FromBase64(string text) => Encoding.UTF8.GetString(Convert.FromBase64String(text));

    private static string Ms(Dictionary<int, TimeSpan> refusedAfter, ServeProcess node) =>
        refusedAfter.TryGetValue(node.Port, out var t) ? t.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) : "never";

    [GeneratedRegex(@"(?im)^set-cookie:\s*__Host-mutualauth-scram=([^;\r\n]+)")]
    private static partial Regex SessionCookie();

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<string> Headers { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Headers.AddRange(request.Headers.Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent("") });
        }
    }
}
