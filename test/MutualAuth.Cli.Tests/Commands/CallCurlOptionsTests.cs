using System.Security.Cryptography.X509Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Cli.Tests.Commands;

/// <summary><c>call</c>'s curl options: <c>-o</c>, <c>-i</c>, <c>--resolve</c> and <c>-v</c>, against scripted servers.</summary>
public sealed class CallCurlOptionsTests(CallFolderFixture fixture) : IClassFixture<CallFolderFixture>
{
    private Task<ProcessResult> Call(string url, params string[] extra) => fixture.Folder.Run(["call", url, .. extra]);

    private string OutputPath(string name) => Path.Combine(fixture.Folder.Root, name);

    [Fact]
    public async Task Output_writes_the_body_to_the_file_and_nothing_to_standard_output()
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.Answer, 200, "the body");
        var path = OutputPath("body.txt");

        var result = await Call(server.Url(), "-o", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.StdOut);
        Assert.Equal("the body", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Include_puts_the_status_line_and_headers_before_the_body_also_in_the_output_file()
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.Answer, 200, "the body", "X-Answer: 42\r\n");
        var path = OutputPath("included.txt");

        var printed = await Call(server.Url(), "-i");
        var written = await Call(server.Url(), "--include", "--output", path);

        Assert.True(printed.ExitCode == 0, printed.ToString());
        Assert.StartsWith("HTTP/1.1 200 Status200\r\n", printed.StdOut, StringComparison.Ordinal);
        Assert.Contains("X-Answer: 42\r\n", printed.StdOut, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nthe body", printed.StdOut, StringComparison.Ordinal);
        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Equal(printed.StdOut, await File.ReadAllTextAsync(path));
    }

    [Theory]
    [InlineData("missing-folder/out.txt")]
    [InlineData("")]
    public async Task An_unwritable_output_is_one_line_and_exit_3_before_anything_is_sent(string relative)
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.Answer);
        var path = relative.Length == 0 ? fixture.Folder.Root : OutputPath(relative); // a folder, or a path in a missing folder

        var result = await Call(server.Url(), "-o", path);

        Assert.True(result.ExitCode == 3, result.ToString());
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: cannot write --output '{path}'", line, StringComparison.Ordinal);
        Assert.Contains("Nothing was sent.", line, StringComparison.Ordinal);
        Assert.Null(server.LastRequestHead);
    }

    [Fact]
    public async Task A_failed_call_leaves_no_new_output_file_and_an_existing_one_unchanged()
    {
        var fresh = OutputPath("fresh.txt");
        var existing = OutputPath("existing.txt");
        await File.WriteAllTextAsync(existing, "keep me");
        var nothing = $"https://localhost:{Tool.FreePort()}/whoami";

        var first = await Call(nothing, "-o", fresh);
        var second = await Call(nothing, "-o", existing);

        Assert.True(first.ExitCode == 3 && second.ExitCode == 3, first + "\n" + second);
        Assert.False(File.Exists(fresh));
        Assert.Equal("keep me", await File.ReadAllTextAsync(existing));
    }

    [Fact]
    public async Task Resolve_connects_to_the_address_and_keeps_the_host_for_sni_the_host_header_and_the_name_check()
    {
        var issued = await fixture.Folder.Run("ca", "issue", "server", "--name", "api-example", "--dns", "api.example");
        Assert.True(issued.ExitCode == 0, issued.ToString());
        var folder = Path.Combine(fixture.Folder.Data, "identities", "api-example");
        using var pem = X509Certificate2.CreateFromPemFile(Path.Combine(folder, "cert.pem"), Path.Combine(folder, "key.pem"));
        using var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        X509Certificate2Collection chain = [];
        chain.ImportFromPemFile(Path.Combine(folder, "chain.pem"));
        await using var server = new ScriptedTlsServer(certificate, chain, ServerBehaviour.Answer, 200, "resolved");
        var port = new Uri(server.Url()).Port;

        var resolved = await Call($"https://api.example:{port}/whoami", "--resolve", $"api.example:{port}:127.0.0.1");
        var (serverName, head) = (server.LastServerName, server.LastRequestHead);
        var otherName = await Call($"https://localhost:{port}/whoami", "--resolve", $"localhost:{port}:127.0.0.1");
        var otherPort = await Call($"https://api.example:{port}/whoami", "--resolve", $"api.example:{port + 1}:127.0.0.1", "--connect-timeout", "5");

        Assert.True(resolved.ExitCode == 0, resolved.ToString());
        Assert.Equal("resolved", resolved.StdOut);
        Assert.Equal("api.example", serverName);
        Assert.Contains($"\r\nHost: api.example:{port}\r\n", head, StringComparison.Ordinal);
        // The certificate is checked against the URL's host, never against the address connected to.
        Assert.True(otherName.ExitCode == 1, otherName.ToString());
        Assert.Contains("name-mismatch", otherName.StdErr, StringComparison.Ordinal);
        // An entry for another port does not apply: api.example is resolved as usual, and does not exist.
        Assert.True(otherPort.ExitCode == 3, otherPort.ToString());
    }

    [Theory]
    [InlineData("api.example:443")]
    [InlineData("api.example:http:127.0.0.1")]
    [InlineData("api.example:443:not-an-address")]
    [InlineData("api.example:70000:127.0.0.1")]
    public async Task A_malformed_resolve_is_a_usage_error(string entry)
    {
        var result = await Call("https://api.example/whoami", "--resolve", entry);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"--resolve '{entry}' is not HOST:PORT:ADDR", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_shows_the_chain_checks_tls_and_the_exchange_on_standard_error_only()
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.Answer, 200, "the body");

        var result = await Call(server.Url(), "-v", "-H", "X-Api-Key: very-secret-value", "-H", "X-Request: visible");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("the body", result.StdOut);
        var lines = result.StdErr.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("*   0 CN=localhost", lines);
        Assert.Contains(lines, l => l.StartsWith("*   passed  host name: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("*   passed  path to a trust anchor", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("* TLS with localhost (SNI): TLSv1.", StringComparison.Ordinal) && l.EndsWith(" presented", StringComparison.Ordinal));
        Assert.Contains("> GET /whoami HTTP/1.1", lines);
        Assert.Contains("> X-Request: visible", lines);
        Assert.Contains("> X-Api-Key: [hidden]", lines);
        Assert.Contains("< HTTP/1.1 200 Status200", lines);
        Assert.DoesNotContain("very-secret-value", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", result.StdErr, StringComparison.Ordinal);
        // The request is shown after the server passed its checks: a refused server never sees it.
        Assert.True(lines.FindIndex(l => l.StartsWith("> GET", StringComparison.Ordinal)) > lines.FindIndex(l => l.StartsWith("* TLS with", StringComparison.Ordinal)));
    }
}
