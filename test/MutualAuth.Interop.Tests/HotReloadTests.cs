using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

/// <summary><c>serve</c> picks up a renewed server certificate without a restart, on change and on SIGHUP.</summary>
[Collection(GatewayTests.Name)]
public sealed class HotReloadTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_replaced_server_certificate_is_used_for_new_handshakes_and_sighup_reloads()
    {
        await fixture.Cli("ca", "issue", "server", "--name", "reloading", "--dns", "localhost", "--ip", "127.0.0.1");
        var files = fixture.Identity("reloading");
        await using var gateway = await ServeProcess.Start(fixture.DataDirectory, "--identity", "reloading");
        var before = await ServerSerial(gateway);

        await fixture.Cli("ca", "issue", "server", "--name", "reloading", "--dns", "localhost", "--ip", "127.0.0.1", "--force");
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var after = await ServerSerial(gateway);

        Assert.NotEqual(before, after);
        Assert.Equal(SerialOf(files.CertificatePath), after);
        Assert.True(await gateway.WaitForOutput("Reloaded server certificate"), gateway.Output);

        await gateway.Hangup();
        Assert.True(await gateway.WaitForOutput("Reloaded trust material"), gateway.Output);
        Assert.Equal(after, await ServerSerial(gateway));
    }

    [Fact]
    public async Task Serve_renews_its_own_certificate_once_two_thirds_of_its_life_have_passed()
    {
        var ca = new MutualAuth.Storage.Sqlite.LocalCertificateAuthority(fixture.Folder, TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        await GatewayFixture.IssueAt(ca, "ageing", now.AddMinutes(-50), now.AddMinutes(10), MutualAuth.Certificates.CertificateProfile.Server);
        var original = SerialOf(fixture.Identity("ageing").CertificatePath);

        await using var gateway = await ServeProcess.Start(fixture.DataDirectory, "--identity", "ageing");
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var served = await ServerSerial(gateway);

        Assert.Contains("Renewed the server certificate", gateway.Output, StringComparison.Ordinal);
        Assert.NotEqual(original, served);
        Assert.Equal(SerialOf(fixture.Identity("ageing").CertificatePath), served);
    }

    private async Task<string> ServerSerial(ServeProcess gateway)
    {
        var alice = fixture.Identity("alice");
        var result = await Tool.Run("sh", ["-c",
            $"echo | openssl s_client -connect 127.0.0.1:{gateway.Port} -servername localhost -cert {alice.CertificatePath} -key {alice.KeyPath} -cert_chain {alice.ChainPath} 2>/dev/null | openssl x509 -noout -serial"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StdOut.Trim().Split('=')[1];
    }

    private static string SerialOf(string certificatePath) =>
        System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath)).SerialNumber;
}
