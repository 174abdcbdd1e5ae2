using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MutualAuth.Testing;

namespace MutualAuth.Cli.Tests.Commands;

/// <summary>
/// One <c>mutualauth serve</c> with a route per combination of methods, proxying to an upstream that answers with the
/// method the gateway forwarded; user <c>alice</c> (SCRAM), client <c>bob</c> (an HMAC key) and the identity <c>client</c>.
/// </summary>
public sealed class ServeForCallFixture : IAsyncLifetime, IDisposable
{
    public const string Password = "alice-correct-horse-77";

    private readonly HttpListener _upstream = new();
    private Task _answering = Task.CompletedTask;

    internal CliTempFolder Folder { get; } = new();

    internal ServeProcess Serve { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = Tool.FreePort();
        _upstream.Prefixes.Add($"http://127.0.0.1:{port}/");
        _upstream.Start();
        _answering = Task.Run(Answer);
        var user = await Tool.Run("dotnet", [Tool.CliAssembly, "user", "add", "alice", "--password-stdin", "--data-dir", Folder.Data], stdin: Password + "\n");
        Assert.True(user.ExitCode == 0, user.ToString());
        var key = await Folder.Run("key", "create", "--client", "bob");
        Assert.True(key.ExitCode == 0, key.ToString());
        Serve = await ServeProcess.Start(Folder.Data, "--upstream", $"http://127.0.0.1:{port}",
            "--route", "/=mtls,scram,sig", "--route", "/ms=mtls+scram", "--route", "/mg=mtls+sig", "--route", "/sg=scram+sig", "--route", "/msg=mtls+scram+sig");
    }

    /// <summary>Answers every proxied request with the method and subject headers the gateway added.</summary>
    private async Task Answer()
    {
        while (_upstream.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _upstream.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var body = System.Text.Encoding.UTF8.GetBytes($"{context.Request.Headers["X-MutualAuth-Method"]} {context.Request.Headers["X-MutualAuth-Subject"]}");
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    /// <summary>Runs <c>call</c> against serve's <paramref name="path"/>, with alice's password on standard input.</summary>
    internal Task<ProcessResult> Call(string path, params string[] args) =>
        Tool.Run("dotnet", [Tool.CliAssembly, "call", Serve.Url(path), .. args, "--password-stdin", "--data-dir", Folder.Data], stdin: Password + "\n");

    public async Task DisposeAsync()
    {
        if (Serve is not null)
        {
            await Serve.DisposeAsync();
        }

        _upstream.Close();
        await _answering;
        Folder.Dispose();
    }

    public void Dispose() => ((IDisposable)_upstream).Dispose();
}

/// <summary><c>call</c> against a real <c>serve</c>: every combination of methods the route grammar allows, and <c>-v</c> for each method.</summary>
public sealed partial class CallAgainstServeTests(ServeForCallFixture fixture) : IClassFixture<ServeForCallFixture>
{
    [Theory]
    [InlineData("/ms", "mtls+scram", "--user alice --identity client")]
    [InlineData("/mg", "mtls+sig", "--key-id bob --identity client")]
    [InlineData("/sg", "scram+sig", "--user alice --key-id bob")]
    [InlineData("/sg", "scram+sig", "--user alice --key-id bob -X POST -d {\"amount\":1}")]
    [InlineData("/msg", "mtls+scram+sig", "--identity client --user alice --key-id bob")]
    public async Task Each_combined_route_accepts_a_call_that_brings_all_its_methods(string path, string method, string arguments)
    {
        var result = await fixture.Call(path, arguments.Split(' '));

        Assert.True(result.ExitCode == 0, result + "\n" + fixture.Serve.Output);
        Assert.StartsWith(method + " ", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("replayed-nonce", fixture.Serve.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mtls")]
    [InlineData("scram", "--user", "alice")]
    [InlineData("sig", "--key-id", "bob")]
    [InlineData("scram+sig", "--user", "alice", "--key-id", "bob")]
    public async Task Verbose_shows_the_exchange_and_never_a_secret(string method, params string[] arguments)
    {
        var result = await fixture.Call(method == "scram+sig" ? "/sg" : "/whoami", [.. arguments, "-v"]);

        Assert.True(result.ExitCode == 0, result + "\n" + fixture.Serve.Output);
        Assert.StartsWith(method + " ", result.StdOut.Contains('{', StringComparison.Ordinal)
            ? JsonDocument.Parse(result.StdOut).RootElement.GetProperty("method").GetString() + " " : result.StdOut, StringComparison.Ordinal);
        var lines = result.StdErr.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains(lines, l => l.StartsWith("* TLS with localhost (SNI): TLSv1.3, cipher suite TLS_", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("*   passed  host name: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("< HTTP/1.1 200 OK", StringComparison.Ordinal));
        AssertNoSecrets(result.StdErr, lines);
        if (method.Contains("scram", StringComparison.Ordinal))
        {
            Assert.Contains(lines, l => Regex.IsMatch(l, @"^> Authorization: SCRAM-SHA-(256|512)(-PLUS)? \[hidden\]$"));
            Assert.Contains(lines, l => l.Contains("data=[hidden]", StringComparison.Ordinal));
            Assert.Contains("< Authentication-Info: [hidden]", lines);
        }

        if (method.Contains("sig", StringComparison.Ordinal))
        {
            Assert.Contains(lines, l => l.StartsWith("> signature-input: sig1=", StringComparison.OrdinalIgnoreCase));
            Assert.Contains(lines, l => l.Equals("> signature: [hidden]", StringComparison.OrdinalIgnoreCase));
            Assert.Contains(lines, l => l.Equals("< signature: [hidden]", StringComparison.OrdinalIgnoreCase));
        }
    }

    private void AssertNoSecrets(string stderr, List<string> lines)
    {
        var credential = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.Folder.Data, "credentials", "bob.json")));
        Assert.DoesNotContain(ServeForCallFixture.Password, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(credential.RootElement.GetProperty("secret").GetString()!, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", stderr, StringComparison.Ordinal);
        foreach (var line in lines.Where(l => SecretField().IsMatch(l)))
        {
            Assert.EndsWith("[hidden]", line, StringComparison.Ordinal);
        }

        // SCRAM data (nonces, salt, proofs, the server's signature) and session ids appear only as [hidden].
        Assert.DoesNotMatch(@"\b(data|sid)=(?!\[hidden\])", stderr);
    }

    [GeneratedRegex(@"^[<>] (authorization|cookie|set-cookie|signature|authentication-info):", RegexOptions.IgnoreCase)]
    private static partial Regex SecretField();
}
