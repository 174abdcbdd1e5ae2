using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

/// <summary>openssl accepts our chains and CRLs, and our validator agrees with <c>openssl verify</c> on chains openssl made.</summary>
[Collection(GatewayTests.Name)]
public sealed class OpensslVerifyTests(GatewayFixture fixture)
{
    private static Task<ProcessResult> OpensslVerify(string certificate, params string[] extra) =>
        Tool.Run("openssl", ["verify", "-x509_strict", .. extra, certificate]);

    [Fact]
    public async Task Openssl_accepts_our_chain_and_crl_and_sees_the_revocation()
    {
        var ca = Path.Combine(fixture.DataDirectory, "ca");
        string[] common = ["-CAfile", Path.Combine(ca, "root.pem"), "-untrusted", Path.Combine(ca, "intermediate.pem"), "-crl_check", "-CRLfile", Path.Combine(ca, "crl.pem"), "-purpose", "sslclient"];

        var valid = await OpensslVerify(fixture.Identity("alice").CertificatePath, common);
        var revoked = await OpensslVerify(fixture.Identity("mallory").CertificatePath, common);
        var server = await OpensslVerify(fixture.Identity("svc").CertificatePath, ["-CAfile", Path.Combine(ca, "root.pem"), "-untrusted", Path.Combine(ca, "intermediate.pem"), "-purpose", "sslserver"]);

        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.NotEqual(0, revoked.ExitCode);
        Assert.Contains("certificate revoked", revoked.StdOut + revoked.StdErr, StringComparison.Ordinal);
        Assert.True(server.ExitCode == 0, server.ToString());
    }

    [Fact]
    public async Task Our_validator_agrees_with_openssl_verify_on_chains_made_by_openssl()
    {
        var root = Path.Combine(fixture.DataDirectory, "..", "openssl-matrix");
        var ca = await OpensslCa.Create(root, "OpenSSL Matrix CA");
        var other = await OpensslCa.Create(Path.Combine(root, "other"), "OpenSSL Other CA");
        var good = await ca.IssueClient("good");
        var foreign = await other.IssueClient("foreign");
        var serverOnly = await ca.IssueClient("server-only", "extendedKeyUsage = serverAuth");
        var noSan = await ca.IssueClient("no-san", "subjectAltName = email:no-san@example.org", "extendedKeyUsage = clientAuth");
        var issuedByLeaf = await ca.IssueClientSignedBy("leaf-signed", good.Certificate, good.Key);

        foreach (var (name, certificate) in new[] { ("good", good.Certificate), ("foreign", foreign.Certificate), ("server-only", serverOnly.Certificate), ("no-san", noSan.Certificate), ("issued-by-leaf", issuedByLeaf) })
        {
            var theirs = await OpensslVerify(certificate, "-CAfile", ca.CertificatePath, "-untrusted", good.Certificate, "-purpose", "sslclient");
            var ours = await fixture.CliAnyExit("verify", certificate, "--trust", ca.CertificatePath, "--chain", good.Certificate, "--purpose", "client", "--crl", ca.CrlPath);
            Assert.True((theirs.ExitCode == 0) == (ours.ExitCode == 0), $"{name}: openssl {theirs}\nmutualauth {ours}");
        }
    }
}
