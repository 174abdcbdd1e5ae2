using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.SmartCards;

/// <summary>
/// <c>ca init --root-key/--intermediate-key pkcs11:…</c> through the command line (SoftHSM2 as the HSM): the data folder
/// records only the key URIs, every later <c>ca</c> command signs on the token, and openssl accepts the results.
/// </summary>
public sealed class CaInitOnTokenTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-ca-token-").FullName;

    private string Data => Path.Combine(_root, "data");

    private string PinFile => Path.Combine(_root, "pin");

    private string CaFile(string name) => Path.Combine(Data, "ca", name);

    public async Task InitializeAsync()
    {
        await SoftHsm.Ready();
        await File.WriteAllTextAsync(PinFile, SoftHsm.Pin + "\n");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Keys_generated_on_the_token_issue_revoke_and_sign_the_crl_there_and_openssl_accepts_them()
    {
        var init = await Cli("ca", "init", "--name", "HSM", "--key", "p384", "--generate-on-token", "--module", SoftHsm.Module, "--pin-file", PinFile,
            "--root-key", $"pkcs11:token={SoftHsm.CaToken};object=cli-root", "--intermediate-key", $"pkcs11:token={SoftHsm.CaToken};object=cli-issuing");
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.False(File.Exists(CaFile("root.key")));
        Assert.False(File.Exists(CaFile("intermediate.key")));
        var recorded = await File.ReadAllTextAsync(CaFile("intermediate-key.uri"));
        Assert.StartsWith($"pkcs11:token={SoftHsm.CaToken};serial=", recorded, StringComparison.Ordinal);
        Assert.Contains("object=cli-issuing", recorded, StringComparison.Ordinal);
        Assert.Contains("module-path=", recorded, StringComparison.Ordinal);
        var (_, objects) = await SoftHsm.Pkcs11Tool(SoftHsm.CaToken, "--list-objects", "--type", "privkey");
        Assert.Contains("cli-issuing", objects, StringComparison.Ordinal);
        Assert.Contains("never extractable", objects, StringComparison.Ordinal);

        var issued = await Cli("ca", "issue", "client", "--name", "leaf", "--pin-file", PinFile);
        Assert.True(issued.ExitCode == 0, issued.ToString());
        var leaf = Path.Combine(Data, "identities", "leaf", "cert.pem");
        var verify = await OpensslVerify(leaf);
        Assert.True(verify.ExitCode == 0, verify.ToString());

        var serial = (await Tool.Run("openssl", ["x509", "-in", leaf, "-noout", "-serial"])).StdOut.Trim().Split('=')[1];
        var revoked = await Cli("ca", "revoke", serial, "--pin-env", "CA_TEST_PIN");
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        var afterRevocation = await OpensslVerify(leaf, "-crl_check", "-CRLfile", CaFile("crl.pem"));
        Assert.NotEqual(0, afterRevocation.ExitCode);
        Assert.Contains("certificate revoked", afterRevocation.ToString(), StringComparison.Ordinal);

        var noPin = await Cli("ca", "crl");
        Assert.True(noPin.ExitCode == 2, noPin.ToString());
        Assert.Contains("needs a PIN", noPin.StdErr, StringComparison.Ordinal);
        var wrong = Path.Combine(_root, "wrong-pin");
        await File.WriteAllTextAsync(wrong, "99999999\n");
        var wrongPin = await Cli("ca", "issue", "client", "--name", "other", "--pin-file", wrong);
        Assert.True(wrongPin.ExitCode == 1, wrongPin.ToString());
        Assert.Contains("PIN incorrect", wrongPin.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Data, "identities", "other")));

        foreach (var output in new[] { init, issued, revoked, noPin, wrongPin })
        {
            Assert.DoesNotContain(SoftHsm.Pin, output.ToString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(SoftHsm.Pin, recorded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_token_key_becomes_the_intermediate_of_a_software_root_and_a_missing_one_is_refused()
    {
        var missing = await Cli("ca", "init", "--module", SoftHsm.Module, "--pin-file", PinFile, "--intermediate-key", $"pkcs11:token={SoftHsm.Token};object=no-such-key");
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("no private key matching", missing.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(CaFile("root.pem")));

        var init = await Cli("ca", "init", "--module", SoftHsm.Module, "--pin-file", PinFile, "--intermediate-key", SoftHsm.KeyUri(SoftHsm.Ec256));
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.True(File.Exists(CaFile("root.key")));
        Assert.False(File.Exists(CaFile("intermediate.key")));

        var issued = await Cli("ca", "issue", "server", "--name", "web", "--dns", "web.example", "--pin-file", PinFile);
        Assert.True(issued.ExitCode == 0, issued.ToString());
        var verify = await OpensslVerify(Path.Combine(Data, "identities", "web", "cert.pem"), "-purpose", "sslserver");
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    private Task<ProcessResult> OpensslVerify(string leaf, params string[] extra) =>
        Tool.Run("openssl", ["verify", "-x509_strict", .. extra, "-CAfile", CaFile("root.pem"), "-untrusted", CaFile("intermediate.pem"), leaf]);

    private Task<ProcessResult> Cli(params string[] args) =>
        Tool.Run("dotnet", [Tool.CliAssembly, "--data-dir", Data, .. args], environment: new Dictionary<string, string> { ["CA_TEST_PIN"] = SoftHsm.Pin });
}
