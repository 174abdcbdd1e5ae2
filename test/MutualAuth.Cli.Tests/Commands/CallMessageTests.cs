using MutualAuth.Testing;

namespace MutualAuth.Cli.Tests.Commands;

/// <summary><c>call</c>'s refusals say what was sent, what the server answered and what to try.</summary>
public sealed class CallMessageTests(CallFolderFixture fixture) : IClassFixture<CallFolderFixture>
{
    private Task<ProcessResult> Call(string url, params string[] extra) => fixture.Folder.Run(["call", url, .. extra]);

    private static string OneLine(ProcessResult result, int exitCode)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        return Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_plain_http_server_is_not_reported_as_a_certificate_refusal()
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.PlainHttp, 400);

        var line = OneLine(await Call(server.Url()), 3);

        Assert.Contains("failed before the server presented a certificate", line, StringComparison.Ordinal);
        Assert.Contains("plain-HTTP", line, StringComparison.Ordinal);
        Assert.DoesNotContain("refused this client certificate", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--key-id", "alice")]
    [InlineData("--credential", "CREDENTIAL")]
    public async Task A_route_that_needs_a_certificate_is_not_reported_as_refusing_one_that_was_never_sent(string flag, string value)
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.RefuseClientCertificates);

        var line = OneLine(await Call(server.Url(), flag, value == "CREDENTIAL" ? Path.Combine(fixture.Folder.Data, "credentials", "alice.json") : value), 1);

        Assert.Contains("presented no client certificate", line, StringComparison.Ordinal);
        Assert.Contains("--identity", line, StringComparison.Ordinal);
        Assert.DoesNotContain("refused this client certificate", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_client_certificate_is_named()
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.RefuseClientCertificates);

        var line = OneLine(await Call(server.Url()), 1);

        Assert.Contains("refused this client certificate (CN=client", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_401_names_what_was_sent_and_the_challenges_the_server_accepts()
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.Answer, 401, "",
            "WWW-Authenticate: SCRAM-SHA-256 realm=\"mutualauth\"\r\nWWW-Authenticate: SCRAM-SHA-512 realm=\"mutualauth\"\r\n");

        var line = OneLine(await Call(server.Url()), 1);

        Assert.Contains("the server answered 401", line, StringComparison.Ordinal);
        Assert.Contains("this call sent client certificate CN=client", line, StringComparison.Ordinal);
        Assert.Contains("it accepts: SCRAM-SHA-256, SCRAM-SHA-512", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsigned_403_to_a_signed_request_says_no_certificate_was_sent_and_what_to_add()
    {
        await using var server = new ScriptedTlsServer(fixture.ServerCertificate, fixture.ServerChain, ServerBehaviour.Answer, 403);

        var line = OneLine(await Call(server.Url(), "--key-id", "alice"), 1);

        Assert.Contains("403", line, StringComparison.Ordinal);
        Assert.Contains("no client certificate, request signed with key 'alice-", line, StringComparison.Ordinal);
        Assert.Contains("add --identity NAME", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_add_and_key_create_print_a_call_that_names_the_route_serve_needs()
    {
        using var folder = new CliTempFolder();
        Assert.Equal(0, (await folder.Run("ca", "init")).ExitCode);

        var user = await Tool.Run("dotnet", [Tool.CliAssembly, "user", "add", "bob", "--password-stdin", "--data-dir", folder.Data], stdin: "a long password\n");
        var key = await folder.Run("key", "create", "--client", "carol");

        Assert.True(user.ExitCode == 0, user.ToString());
        Assert.Contains("--route /=mtls,scram", user.StdOut, StringComparison.Ordinal);
        Assert.Contains("call https://localhost:8443/whoami --user bob", user.StdOut, StringComparison.Ordinal);
        Assert.True(key.ExitCode == 0, key.ToString());
        Assert.Contains("--route /=mtls,sig", key.StdOut, StringComparison.Ordinal);
        Assert.Contains("call https://localhost:8443/whoami --credential", key.StdOut, StringComparison.Ordinal);
        // The printed calls name the data folder: pasted elsewhere, they still find its CA (and users' verifiers).
        Assert.Contains($"--user bob --data-dir {folder.Data}", user.StdOut, StringComparison.Ordinal);
        Assert.Contains($"--data-dir {folder.Data}", key.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_serve_banner_prints_a_scram_call_that_works_and_says_which_route_the_other_method_needs()
    {
        using var folder = new CliTempFolder();
        await using (var first = await ServeProcess.Start(folder.Data, "--route", "/=mtls,scram"))
        {
            Assert.True(await first.WaitForOutput("No route accepts sig alone"), first.Output);
            Assert.Contains("--route /=mtls,sig", first.Output, StringComparison.Ordinal);
            Assert.True(await first.WaitForOutput(" --user NAME"), first.Output);
            var printed = first.Output.Split('\n').Single(l => l.Contains(" --user NAME", StringComparison.Ordinal)).Trim();
            var added = await Tool.Run("dotnet", [Tool.CliAssembly, "user", "add", "bob", "--password-stdin", "--data-dir", folder.Data], stdin: "a long password\n");
            Assert.True(added.ExitCode == 0, added.ToString());

            var call = await Tool.Run("sh", ["-c", printed[..printed.IndexOf("   (after", StringComparison.Ordinal)].Replace("NAME", "bob", StringComparison.Ordinal) + " --password-stdin"], stdin: "a long password\n");

            Assert.True(call.ExitCode == 0, printed + "\n" + call);
            Assert.Contains("\"method\": \"scram\"", call.StdOut, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_banner_call_works_from_another_directory_when_serve_used_the_default_data_folder()
    {
        using var folder = new CliTempFolder();
        await using var serve = await ServeProcess.StartIn(folder.Root, null, ".mutualauth");
        Assert.True(await serve.WaitForOutput(" call https://"), serve.Output);
        var printed = serve.Output.Split('\n').Single(l => l.Contains(" call https://", StringComparison.Ordinal)).Trim();

        var call = await Tool.Run("sh", ["-c", printed], workingDirectory: Path.GetTempPath());

        Assert.Contains($"--data-dir {Path.Combine(folder.Root, ".mutualauth")}", printed, StringComparison.Ordinal);
        Assert.True(call.ExitCode == 0, printed + "\n" + call);
    }

    [Fact]
    public async Task Serve_starts_quietly_keeps_no_key_ring_on_disk_and_says_address_in_use_in_one_line()
    {
        using var folder = new CliTempFolder();
        var home = Path.Combine(folder.Root, "home");
        Directory.CreateDirectory(home);
        var environment = new Dictionary<string, string> { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home };
        await using var first = await ServeProcess.StartIn(null, environment, folder.Data, "--route", "/=mtls,scram", "--log-level", "information");
        Assert.True(await first.WaitForOutput("No route accepts sig alone"), first.Output);
        // A SCRAM exchange uses Data Protection (the session cookie).
        var added = await Tool.Run("dotnet", [Tool.CliAssembly, "user", "add", "bob", "--password-stdin", "--data-dir", folder.Data], stdin: "a long password\n");
        Assert.True(added.ExitCode == 0, added.ToString());
        var call = await Tool.Run("dotnet", [Tool.CliAssembly, "call", first.Url(), "--user", "bob", "--password-stdin", "--data-dir", folder.Data], stdin: "a long password\n");
        Assert.True(call.ExitCode == 0, call.ToString());

        var second = await Tool.Run("dotnet", [Tool.CliAssembly, "serve", "--data-dir", folder.Data, "--listen", $"127.0.0.1:{first.Port}"], environment: environment);

        foreach (var noise in new[] { "Hosting environment", "Content root path", "XmlKeyManager", "XML encryptor", "DataProtection" })
        {
            Assert.DoesNotContain(noise, first.Output, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(Path.Combine(home, ".aspnet")), "a Data Protection key ring was written under HOME");
        Assert.True(second.ExitCode == 3, second.ToString());
        var line = Assert.Single((second.StdOut + second.StdErr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: cannot listen on 127.0.0.1:{first.Port}: address already in use (another serve, or give --listen ADDRESS:PORT).", line);
    }

    [Fact]
    public async Task Ed25519_certificates_are_refused_at_start_up_with_the_reason_by_serve_and_call()
    {
        using var folder = new CliTempFolder();
        Directory.CreateDirectory(folder.Root);
        var key = Path.Combine(folder.Root, "ed.key");
        var cert = Path.Combine(folder.Root, "ed.pem");
        var made = await Tool.Run("openssl", ["req", "-x509", "-newkey", "ed25519", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost", "-addext", "extendedKeyUsage=serverAuth,clientAuth"]);
        Assert.True(made.ExitCode == 0, made.ToString());
        Assert.Equal(0, (await folder.Run("ca", "init")).ExitCode);

        var serve = await folder.Run("serve", "--cert", cert, "--key", key, "--listen", "127.0.0.1:1");
        var call = await folder.Run("call", "https://localhost:1/", "--cert", cert, "--key", key);

        foreach (var result in new[] { serve, call })
        {
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("is an Ed25519 certificate, which .NET 10 cannot use for TLS: use an ECDSA (P-256, P-384) or RSA certificate.", result.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("1.3.101.112", result.StdErr, StringComparison.Ordinal);
        }
    }
}
