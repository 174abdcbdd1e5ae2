using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

/// <summary>The gateway as <c>openssl s_client</c> sees it.</summary>
[Collection(GatewayTests.Name)]
public sealed class OpensslClientTests(GatewayFixture fixture)
{
    private const string Request = "GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    private Task<ProcessResult> SClient(string? identity, params string[] extra)
    {
        List<string> args = ["s_client", "-connect", $"127.0.0.1:{fixture.Gateway.Port}", "-servername", "localhost", "-CAfile", fixture.RootPath, "-verify_return_error", "-quiet"];
        if (identity is not null)
        {
            var files = fixture.Identity(identity);
            args.AddRange(["-cert", files.CertificatePath, "-key", files.KeyPath, "-cert_chain", files.ChainPath]);
        }

        return Tool.Run("openssl", [.. args, .. extra], Request);
    }

    [Theory]
    [InlineData("-tls1_3")]
    [InlineData("-tls1_2")]
    public async Task A_valid_client_certificate_is_accepted(string version)
    {
        var result = await SClient("alice", version);

        Assert.Contains("HTTP/1.1 200", result.StdOut, StringComparison.Ordinal);
        Assert.Contains(GatewayFixture.AliceUri, result.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ECDHE-ECDSA-AES128-SHA")]
    [InlineData("ECDHE-ECDSA-AES256-SHA384")]
    [InlineData("ECDHE-ECDSA-AES128-SHA256")]
    public async Task A_tls12_client_offering_only_a_cbc_suite_is_refused(string cipher)
    {
        var requestsBefore = fixture.Gateway.RequestCount;

        var result = await SClient("alice", "-tls1_2", "-cipher", cipher);

        Assert.DoesNotContain("HTTP/1.1", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("handshake failure", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(requestsBefore, fixture.Gateway.RequestCount);
    }

    [Theory]
    [MemberData(nameof(GatewayFixture.RefusedIdentities), MemberType = typeof(GatewayFixture))]
    public async Task Refused_certificates_get_no_http_response(string? identity, string reason)
    {
        var requestsBefore = fixture.Gateway.RequestCount;

        var result = await SClient(identity);

        Assert.DoesNotContain("HTTP/1.1", result.StdOut, StringComparison.Ordinal);
        Assert.True(await fixture.Gateway.WaitForOutput($"{reason}:"), fixture.Gateway.Output);
        Assert.Equal(requestsBefore, fixture.Gateway.RequestCount);
    }

    [Fact]
    public async Task The_server_sends_its_intermediate_so_openssl_verifies_it_against_the_root_alone()
    {
        var result = await Tool.Run("openssl", ["s_client", "-connect", $"127.0.0.1:{fixture.Gateway.Port}", "-servername", "localhost", "-CAfile", fixture.RootPath, "-verify_hostname", "localhost", "-brief"], "");

        Assert.Contains("Verification: OK", result.StdErr + result.StdOut, StringComparison.Ordinal);
    }
}
