using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Cli.Tests.Commands;

/// <summary>A data folder with a CA, a client identity <c>client</c>, a server identity for localhost and an HMAC credential.</summary>
public sealed class CallFolderFixture : IAsyncLifetime
{
    internal CliTempFolder Folder { get; } = new();

    internal X509Certificate2 ServerCertificate { get; private set; } = null!;

    internal X509Certificate2Collection ServerChain { get; } = [];

    public async Task InitializeAsync()
    {
        foreach (var args in new[]
        {
            new[] { "ca", "init" },
            ["ca", "issue", "client", "--name", "client"],
            ["ca", "issue", "server", "--name", "server", "--dns", "localhost", "--ip", "127.0.0.1"],
            ["key", "create", "--client", "alice"],
        })
        {
            var result = await Folder.Run(args);
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        var server = Path.Combine(Folder.Data, "identities", "server");
        using var pem = X509Certificate2.CreateFromPemFile(Path.Combine(server, "cert.pem"), Path.Combine(server, "key.pem"));
        ServerCertificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        ServerChain.ImportFromPemFile(Path.Combine(server, "chain.pem"));
    }

    public Task DisposeAsync()
    {
        ServerCertificate.Dispose();
        Folder.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Every exit code <c>call --help</c> documents, each from a server that behaves the way the help describes, and the
/// timeouts (<c>--connect-timeout</c>, <c>--max-time</c>): one line naming the phase, exit code 3, never a stack trace.
/// </summary>
public sealed class CallExitCodeTests(CallFolderFixture fixture) : IClassFixture<CallFolderFixture>
{
    private Task<ProcessResult> Call(string url, params string[] extra) => fixture.Folder.Run(["call", url, .. extra]);

    private static void AssertOneLine(ProcessResult result, int exitCode, string contains)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(contains, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_documents_each_exit_code_and_the_timeouts()
    {
        var help = await fixture.Folder.Run("call", "--help");

        Assert.True(help.ExitCode == 0, help.ToString());
        foreach (var text in new[] { "0  the server was verified and answered 2xx", "1  authentication refused", "2  usage or configuration error", "3  I/O", "--connect-timeout", "--max-time", "413" })
        {
            Assert.Contains(text, help.StdOut, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Exit_0_when_the_verified_server_answers_2xx()
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.Answer, 200, "hello");

        var result = await Call(server.Url());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hello", result.StdOut);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Exit_1_when_the_server_refuses_this_client(int status)
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.Answer, status);

        AssertOneLine(await Call(server.Url()), 1, $"the server answered {status}");
    }

    [Fact]
    public async Task Exit_1_when_the_server_fails_verification()
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.Answer);

        AssertOneLine(await Call(server.Url(), "--name", "elsewhere.example"), 1, "name-mismatch");
    }

    [Theory]
    [InlineData(401, 1)]
    [InlineData(403, 1)]
    [InlineData(413, 3)]
    [InlineData(400, 3)]
    [InlineData(500, 1)] // not a refusal before authentication: an unsigned answer, discarded as unverified
    public async Task An_unsigned_refusal_of_a_signed_request_gives_1_only_for_401_and_403(int status, int exitCode)
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.Answer, status);

        AssertOneLine(await Call(server.Url(), "--key-id", "alice", "-d", "payload"), exitCode, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Exit_2_for_a_usage_error()
    {
        AssertOneLine(await Call("http://localhost/"), 2, "is not an https URL");
        AssertOneLine(await Call("https://localhost/", "--max-time", "-1"), 2, "--max-time");
    }

    [Theory]
    [InlineData(404)]
    [InlineData(413)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(302)]
    public async Task Exit_3_for_any_other_http_status(int status)
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.Answer, status, "body");

        var result = await Call(server.Url());

        AssertOneLine(result, 3, $"the server answered {status}");
        Assert.Equal("body", result.StdOut);
    }

    [Fact]
    public async Task Exit_3_when_nothing_listens()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        AssertOneLine(await Call($"https://localhost:{port}/"), 3, "cannot connect");
    }

    [Fact]
    public async Task A_server_that_accepts_and_never_answers_ends_at_the_connect_timeout_with_exit_3()
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.AcceptOnly);
        var clock = Stopwatch.StartNew();

        var result = await Call(server.Url(), "--connect-timeout", "2", "--max-time", "30");

        AssertOneLine(result, 3, "timed out connecting (TCP connect and TLS handshake) to localhost:");
        Assert.Contains("--connect-timeout 2 s", result.StdErr, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(25));
    }

    [Fact]
    public async Task Max_time_ends_a_handshake_that_never_completes_and_names_the_phase()
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.AcceptOnly);

        var result = await Call(server.Url(), "--connect-timeout", "30", "--max-time", "2");

        AssertOneLine(result, 3, "within --max-time 2 s: timed out connecting (TCP connect and TLS handshake)");
    }

    [Fact]
    public async Task Max_time_ends_a_server_that_never_answers_after_the_handshake()
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.HandshakeOnly);

        var result = await Call(server.Url(), "--max-time", "2");

        AssertOneLine(result, 3, "timed out waiting for the response after the server's certificate was verified");
    }

    [Fact]
    public async Task Max_time_ends_a_body_that_never_arrives()
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.HeadersOnly);

        var result = await Call(server.Url(), "-m", "2");

        AssertOneLine(result, 3, "timed out reading the response body");
    }

    [Fact]
    public async Task The_timeouts_are_settings_too()
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.HandshakeOnly);

        var result = await fixture.Folder.Run(new Dictionary<string, string> { ["MUTUALAUTH__Call__MaxTime"] = "1" }, "call", server.Url());

        AssertOneLine(result, 3, "within --max-time 1 s");
    }
}
