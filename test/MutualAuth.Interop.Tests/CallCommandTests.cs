using System.Security.Cryptography;
using MutualAuth.Certificates;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

/// <summary><c>mutualauth call</c> verifies the server before it sends anything.</summary>
[Collection(GatewayTests.Name)]
public sealed class CallCommandTests(GatewayFixture fixture)
{
    private Task<ProcessResult> Call(ServeProcess gateway, params string[] extra) =>
        Tool.MutualAuth(["call", gateway.Url(), "--data-dir", fixture.DataDirectory, "--identity", "alice", .. extra]);

    [Fact]
    public async Task Calls_a_verified_server_with_a_client_identity()
    {
        var before = fixture.Gateway.RequestCount;

        var result = await Call(fixture.Gateway, "--pin", SpkiPin.FromCertificate(LoadRoot()).ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(GatewayFixture.AliceUri, result.StdOut, StringComparison.Ordinal);
        Assert.True(await fixture.Gateway.WaitForRequestCount(before + 1), "the request log line (9001) that the refusal tests count was not written");
    }

    [Fact]
    public async Task Refuses_a_pin_mismatch_and_sends_nothing()
    {
        var before = fixture.Gateway.RequestCount;
        var wrongPin = "sha256/" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        var result = await Call(fixture.Gateway, "--pin", wrongPin);

        AssertRefused(result, "pin-mismatch");
        await Task.Delay(300);
        Assert.Equal(before, fixture.Gateway.RequestCount);
    }

    [Fact]
    public async Task Refuses_a_server_whose_certificate_comes_from_an_untrusted_ca()
    {
        var other = new LocalCertificateAuthority(new DataFolder(Path.Combine(fixture.DataDirectory, "..", "other-ca")), TimeProvider.System);
        await other.InitializeAsync("Other", KeyAlgorithm.EcdsaP256);
        var now = DateTimeOffset.UtcNow;
        await GatewayFixture.IssueAt(other, "server", now.AddMinutes(-5), now.AddDays(1), CertificateProfile.Server);

        await AssertRefusedBy(other.Folder.Identity("server"), "untrusted-root");
    }

    [Fact]
    public async Task Refuses_a_server_certificate_for_another_name()
    {
        var ca = new LocalCertificateAuthority(fixture.Folder, TimeProvider.System);
        using (await ca.IssueAsync("elsewhere", new LeafRequest { CommonName = "elsewhere.example", DnsNames = ["elsewhere.example"], Profile = CertificateProfile.Server }, fixture.Identity("elsewhere")))
        {
        }

        await AssertRefusedBy(fixture.Identity("elsewhere"), "name-mismatch");
    }

    [Fact]
    public async Task Refuses_an_expired_server_certificate()
    {
        var ca = new LocalCertificateAuthority(fixture.Folder, TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        await GatewayFixture.IssueAt(ca, "expired-server", now.AddDays(-10), now.AddDays(-1), CertificateProfile.Server);

        await AssertRefusedBy(fixture.Identity("expired-server"), "expired");
    }

    [Fact]
    public async Task Bad_flags_and_unreadable_files_are_usage_errors()
    {
        var missing = await Tool.MutualAuth("call", fixture.Gateway.Url(), "--data-dir", fixture.DataDirectory, "--identity", "alice", "--ca", "/nonexistent/ca.pem");
        var notHttps = await Tool.MutualAuth("call", "http://localhost/", "--data-dir", fixture.DataDirectory);
        var badPin = await Tool.MutualAuth("call", fixture.Gateway.Url(), "--data-dir", fixture.DataDirectory, "--pin", "sha256/xyz");
        var badMethod = await Tool.MutualAuth("call", fixture.Gateway.Url(), "--data-dir", fixture.DataDirectory, "--identity", "alice", "-X", "GET POST");
        var badHeader = await Tool.MutualAuth("call", fixture.Gateway.Url(), "--data-dir", fixture.DataDirectory, "--identity", "alice", "-H", "Bad Name: x");
        var keyWithoutCert = await Tool.MutualAuth("call", fixture.Gateway.Url(), "--data-dir", fixture.DataDirectory, "--key", fixture.Identity("alice").KeyPath);
        var serverAsClient = await Tool.MutualAuth("call", fixture.Gateway.Url(), "--data-dir", fixture.DataDirectory, "--identity", "svc");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("/nonexistent/ca.pem", missing.StdErr, StringComparison.Ordinal);
        Assert.Contains("no such file", missing.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, notHttps.ExitCode);
        Assert.Equal(2, badPin.ExitCode);
        Assert.Equal(2, badMethod.ExitCode);
        Assert.Equal(2, badHeader.ExitCode);
        Assert.Equal(2, keyWithoutCert.ExitCode);
        Assert.Equal(2, serverAsClient.ExitCode);
        Assert.Contains("clientAuth", serverAsClient.StdErr, StringComparison.Ordinal);
    }

    private async Task AssertRefusedBy(IdentityFiles serverIdentity, string reason)
    {
        await using var gateway = await ServeProcess.Start(fixture.DataDirectory, "--cert", serverIdentity.ChainPath, "--key", serverIdentity.KeyPath);

        var result = await Call(gateway);

        AssertRefused(result, reason);
        await Task.Delay(300);
        Assert.Equal(0, gateway.RequestCount);
    }

    private static void AssertRefused(ProcessResult result, string reason)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Empty(result.StdOut);
        Assert.Contains($"server verification failed, request not sent: {reason}:", result.StdErr, StringComparison.Ordinal);
        Assert.Single(result.StdErr.Trim().Split('\n'));
    }

    private System.Security.Cryptography.X509Certificates.X509Certificate2 LoadRoot() =>
        System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(fixture.RootPath));
}
