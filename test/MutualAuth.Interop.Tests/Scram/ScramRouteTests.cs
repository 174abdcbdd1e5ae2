using System.Text.Json;
using System.Text.RegularExpressions;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.Scram;

/// <summary>
/// <c>serve --route</c> decides per path prefix which methods authenticate a request: <c>/api=scram</c>,
/// <c>/admin=mtls+scram</c> and <c>/whoami=mtls+scram</c>, everything else the default mTLS. Paths below
/// <c>/api</c> and <c>/admin</c> do not exist, so 404 means the request was authenticated and 401/403 that it was not.
/// </summary>
public sealed class ScramRouteTests(ScramRouteTests.Fixture fixture) : IClassFixture<ScramRouteTests.Fixture>
{
    private const string Identity = "client";

    [Fact]
    public async Task An_mtls_path_refuses_a_client_without_a_certificate_and_accepts_one_with()
    {
        var without = await fixture.Curl("/other", withCertificate: false, "-o", "/dev/null", "-w", "%{http_code}");
        var with = await fixture.Curl("/other", withCertificate: true, "-o", "/dev/null", "-w", "%{http_code}");

        Assert.True(without.ExitCode == 0, without.ToString());
        Assert.Equal("403", without.StdOut);
        Assert.Equal("404", with.StdOut);
    }

    [Fact]
    public async Task A_password_alone_does_not_pass_an_mtls_path()
    {
        var result = await fixture.CallAs("alice", "alice", "/other");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("answered 403", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scram_path_accepts_a_password_and_no_certificate()
    {
        var result = await fixture.CallAs("alice", "alice", "/api/items");

        AssertAuthenticated(result);
    }

    [Fact]
    public async Task A_certificate_alone_does_not_pass_a_scram_path()
    {
        var result = await fixture.Call("/api/items", ["--identity", Identity]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("answered 401", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scram_path_challenges_curl_with_plus_and_plain_sha256()
    {
        var result = await fixture.Curl("/api/items", withCertificate: true, "-i");

        var offered = Regex.Matches(result.StdOut, @"^www-authenticate: (SCRAM-[A-Z0-9-]+)", RegexOptions.Multiline | RegexOptions.IgnoreCase).Select(m => m.Groups[1].Value).ToList();
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^HTTP/\S+ 401", result.StdOut);
        Assert.Contains("SCRAM-SHA-256-PLUS", offered);
        Assert.Contains("SCRAM-SHA-256", offered);
    }

    [Fact]
    public async Task A_password_alone_does_not_pass_an_mtls_and_scram_path()
    {
        var result = await fixture.CallAs("alice", "alice", "/admin/settings");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("answered 403", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_alone_does_not_pass_an_mtls_and_scram_path()
    {
        var result = await fixture.Call("/admin/settings", ["--identity", Identity]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("answered 401", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_and_a_certificate_pass_an_mtls_and_scram_path()
    {
        var admin = await fixture.CallAs("alice", "alice", "/admin/settings", "--identity", Identity);
        var whoami = await fixture.CallAs("alice", "alice", "/whoami", "--identity", Identity);

        AssertAuthenticated(admin);
        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        using var body = JsonDocument.Parse(whoami.StdOut);
        Assert.Equal("mtls+scram", body.RootElement.GetProperty("method").GetString());
        Assert.Equal(["swk", "pwd"], body.RootElement.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("client", body.RootElement.GetProperty("subject").GetString());
    }

    /// <summary>The request passed authentication and reached a path that does not exist: 404 is exit code 3.</summary>
    private static void AssertAuthenticated(ProcessResult result)
    {
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("answered 404", result.StdErr, StringComparison.Ordinal);
    }

    public sealed class Fixture : ScramGatewayFixture
    {
        protected override string[] ServeArguments => ["--route", "/api=scram", "--route", "/admin=mtls+scram", "--route", "/whoami=mtls+scram"];
    }
}
