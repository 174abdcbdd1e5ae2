using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

/// <summary>The gateway as curl sees it.</summary>
[Collection(GatewayTests.Name)]
public sealed class CurlTests(GatewayFixture fixture)
{
    private Task<ProcessResult> Curl(string? identity, params string[] extra)
    {
        List<string> args = ["-sS", "--max-time", "20", "--cacert", fixture.RootPath];
        if (identity is not null)
        {
            var files = fixture.Identity(identity);
            args.AddRange(["--cert", files.ChainPath, "--key", files.KeyPath]);
        }

        return Tool.Run("curl", [.. args, .. extra, extra.Contains("-o") ? fixture.Gateway.Url("/ca/crl") : fixture.Gateway.Url()]);
    }

    [Fact]
    public async Task A_valid_client_certificate_is_accepted_and_whoami_shows_the_identity()
    {
        var result = await Curl("alice");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"\"subject\": \"{GatewayFixture.AliceUri}\"", result.StdOut, StringComparison.Ordinal);
        Assert.Contains($"\"serial\": \"{fixture.Serials["alice"]}\"", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"method\": \"mtls\"", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"swk\"", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"uri\": [\n      \"" + GatewayFixture.AliceUri, result.StdOut, StringComparison.Ordinal);
        Assert.Contains(fixture.Serials["alice"], await fixture.AuditJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_1_2_works_too()
    {
        var result = await Curl("alice", "--tlsv1.2", "--tls-max", "1.2");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Tls_1_1_is_refused()
    {
        var result = await Curl("alice", "--tlsv1.1", "--tls-max", "1.1");

        Assert.NotEqual(0, result.ExitCode);
    }

    [Theory]
    [MemberData(nameof(GatewayFixture.RefusedIdentities), MemberType = typeof(GatewayFixture))]
    public async Task Refused_certificates_never_reach_the_application(string? identity, string reason)
    {
        var requestsBefore = fixture.Gateway.RequestCount;

        var result = await Curl(identity);

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("\"subject\"", result.StdOut, StringComparison.Ordinal);
        Assert.True(await fixture.Gateway.WaitForOutput($"{reason}:"), fixture.Gateway.Output);
        Assert.Equal(requestsBefore, fixture.Gateway.RequestCount);
        var audit = await fixture.AuditJson();
        Assert.Contains($"\"reasonCode\": \"{reason}\"", audit, StringComparison.Ordinal);
        if (identity is not null)
        {
            Assert.Contains(fixture.Serials[identity], audit, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_revocation_reaches_the_running_gateway_without_a_restart()
    {
        var issued = await fixture.Cli("ca", "issue", "client", "--name", "dave");
        var serial = issued.StdOut.Split("serial ")[1].Split(',')[0];
        Assert.Equal(0, (await Curl("dave")).ExitCode);

        await fixture.Cli("ca", "revoke", serial);
        await Task.Delay(FileTrustPolicySourceCheckInterval);

        Assert.NotEqual(0, (await Curl("dave")).ExitCode);
        Assert.True(await fixture.Gateway.WaitForOutput($"Certificate {serial} was revoked"), fixture.Gateway.Output);
        Assert.Contains("Reloaded trust material", fixture.Gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ca_crl_is_served_in_der()
    {
        var output = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".crl");
        try
        {
            var result = await Curl("alice", "-o", output);
            var parsed = await Tool.Run("openssl", ["crl", "-inform", "DER", "-in", output, "-noout", "-issuer"]);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("Interop Intermediate CA", parsed.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>The gateway looks at its trust files at most once a second (FileTrustPolicySource.CheckInterval).</summary>
    private static readonly TimeSpan FileTrustPolicySourceCheckInterval = TimeSpan.FromSeconds(1.2);

    [Fact]
    public async Task A_certificate_from_an_untrusted_openssl_ca_is_refused()
    {
        var result = await Tool.Run("curl", ["-sS", "--max-time", "20", "--cacert", fixture.RootPath, "--cert", fixture.Eve.Certificate, "--key", fixture.Eve.Key, fixture.Gateway.Url()]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.True(await fixture.Gateway.WaitForOutput("untrusted-root:"), fixture.Gateway.Output);
    }

    [Fact]
    public async Task A_certificate_made_with_openssl_is_accepted_when_its_ca_is_a_trust_anchor()
    {
        var result = await Tool.Run("curl", ["-sS", "--max-time", "20", "--cacert", fixture.RootPath, "--cert", fixture.Carol.Certificate, "--key", fixture.Carol.Key, fixture.Gateway.Url()]);

        Assert.True(result.ExitCode == 0, result + "\n" + fixture.Gateway.Output);
        Assert.Contains("\"subject\": \"carol\"", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("OpenSSL Trusted CA", result.StdOut, StringComparison.Ordinal);
    }
}
