using System.Security.Cryptography.X509Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

/// <summary><c>mutualauth ca renew</c> against the running gateway's <c>POST /ca/renew</c>.</summary>
[Collection(GatewayTests.Name)]
public sealed class RenewTests(GatewayFixture fixture)
{
    private Task<ProcessResult> Renew(string identity, params string[] extra) =>
        fixture.CliAnyExit(["ca", "renew", $"https://localhost:{fixture.Gateway.Port}", "--identity", identity, .. extra]);

    [Fact]
    public async Task A_valid_identity_renews_with_the_same_names_and_then_with_a_new_key()
    {
        await fixture.Cli("ca", "issue", "client", "--name", "grace", "--uri", "spiffe://example.org/ns/test/sa/grace");
        var files = fixture.Identity("grace");
        var before = Load(files.CertificatePath);
        var keyBefore = await File.ReadAllTextAsync(files.KeyPath);

        var sameKey = await Renew("grace");
        var renewed = Load(files.CertificatePath);
        var newKey = await Renew("grace", "--new-key");
        var notDue = await Renew("grace", "--if-due");
        var curl = await Tool.Run("curl", ["-sS", "--max-time", "20", "--cacert", fixture.RootPath, "--cert", files.ChainPath, "--key", files.KeyPath, fixture.Gateway.Url()]);

        Assert.True(sameKey.ExitCode == 0, sameKey.ToString());
        Assert.NotEqual(before.SerialNumber, renewed.SerialNumber);
        Assert.Equal(before.Subject, renewed.Subject);
        Assert.Equal(before.Extensions["2.5.29.17"]!.RawData, renewed.Extensions["2.5.29.17"]!.RawData);
        Assert.True(newKey.ExitCode == 0, newKey.ToString());
        Assert.NotEqual(keyBefore, await File.ReadAllTextAsync(files.KeyPath));
        Assert.Contains("not due", notDue.StdOut, StringComparison.Ordinal);
        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Contains("spiffe://example.org/ns/test/sa/grace", curl.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_the_identity_does_not_trust_gets_nothing()
    {
        var result = await Renew("bob", "--ca", fixture.TrustedOpensslCa.CertificatePath);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("untrusted-root", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mallory")]
    [InlineData("expired")]
    public async Task Revoked_or_expired_certificates_cannot_renew(string identity)
    {
        var certificate = await File.ReadAllTextAsync(fixture.Identity(identity).CertificatePath);

        var result = await Renew(identity);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(certificate, await File.ReadAllTextAsync(fixture.Identity(identity).CertificatePath));
    }

    private static X509Certificate2 Load(string path) => X509Certificate2.CreateFromPem(File.ReadAllText(path));
}
