using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

[Collection(GatewayTests.Name)]
public sealed class AllowRulesTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Only_certificates_matching_an_allow_rule_are_accepted()
    {
        await using var gateway = await ServeProcess.Start(fixture.DataDirectory, "--allow-uri", "spiffe://example.org/ns/*/sa/alice", "--allow-cn", "car*",
            "--trust", fixture.TrustedOpensslCa.CertificatePath, "--crl", fixture.TrustedOpensslCa.CrlPath);

        var alice = await Curl(gateway, fixture.Identity("alice").ChainPath, fixture.Identity("alice").KeyPath);
        var carol = await Curl(gateway, fixture.Carol.Certificate, fixture.Carol.Key);
        var bob = await Curl(gateway, fixture.Identity("bob").ChainPath, fixture.Identity("bob").KeyPath);

        Assert.True(alice.ExitCode == 0, alice.ToString());
        Assert.True(carol.ExitCode == 0, carol.ToString());
        Assert.NotEqual(0, bob.ExitCode);
        Assert.True(await gateway.WaitForOutput("not-allowed:"), gateway.Output);
        Assert.Contains("allowed clients: cn=car*, uri=spiffe://example.org/ns/*/sa/alice", gateway.Output, StringComparison.Ordinal);
    }

    private Task<ProcessResult> Curl(ServeProcess gateway, string certificate, string key) =>
        Tool.Run("curl", ["-sS", "--max-time", "20", "--cacert", fixture.RootPath, "--cert", certificate, "--key", key, gateway.Url()]);
}
