using System.Text.Json;
using MutualAuth.Http;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.MessageSignatures;

/// <summary>
/// The real processes: <c>mutualauth key create</c> registers clients, <c>mutualauth serve --route /=sig</c> verifies their
/// signed requests and signs its responses, and <c>mutualauth call --key-id</c> refuses any response it cannot verify.
/// </summary>
public sealed class SignatureServeTests(SignatureServeTests.Fixture fixture) : IClassFixture<SignatureServeTests.Fixture>
{
    [Theory]
    [InlineData("alice")]
    [InlineData("ed")]
    public async Task A_registered_client_calls_and_verifies_the_signed_answer(string client)
    {
        var result = await fixture.Call("--key-id", client);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var whoami = JsonDocument.Parse(result.StdOut);
        Assert.Equal(client, whoami.RootElement.GetProperty("subject").GetString());
        Assert.Equal("sig", whoami.RootElement.GetProperty("method").GetString());
    }

    [Fact]
    public async Task A_client_that_registered_its_own_public_key_signs_with_its_private_key()
    {
        using var own = MutualAuth.MessageSignatures.HttpSignatureKey.Generate(MutualAuth.MessageSignatures.HttpSignatureAlgorithm.EcdsaP256Sha256);
        var publicKey = Path.Combine(fixture.DataDirectory, "own.pub");
        var privateKey = Path.Combine(fixture.DataDirectory, "own.key");
        var credential = Path.Combine(fixture.DataDirectory, "own.json");
        await File.WriteAllTextAsync(publicKey, own.ExportPublicKeyPem());
        await File.WriteAllTextAsync(privateKey, own.ExportPrivateKeyPem());
        var created = await Tool.MutualAuth("key", "create", "--client", "own", "--alg", "ecdsa-p256-sha256", "--public-key", publicKey, "--out", credential, "--data-dir", fixture.DataDirectory);

        var withoutKey = await fixture.Call("--credential", credential);
        var withKey = await fixture.Call("--credential", credential, "--private-key", privateKey);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("--private-key", created.StdOut, StringComparison.Ordinal);
        Assert.Equal(2, withoutKey.ExitCode);
        Assert.True(withKey.ExitCode == 0, withKey.ToString());
    }

    [Fact]
    public async Task A_signed_post_body_is_covered_by_its_digest()
    {
        var result = await fixture.Call("--key-id", "alice", "-X", "POST", "-d", "{\"amount\": 1}", "-i");

        // /whoami answers POST with 405, but only after the signature and the body's digest were accepted.
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("405", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("signature-input: sig1=(\"@status\" \"content-digest\" \"signature\";key=\"sig1\";req)", result.StdOut, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_body_from_a_file_is_signed_and_one_over_the_limit_gets_413()
    {
        var small = Path.Combine(fixture.DataDirectory, "small.json");
        var large = Path.Combine(fixture.DataDirectory, "large.bin");
        await File.WriteAllTextAsync(small, "{\"amount\": 1}");
        await File.WriteAllBytesAsync(large, new byte[(1024 * 1024) + 1]);

        var accepted = await fixture.Call("--key-id", "alice", "-X", "POST", "-d", "@" + small);
        var tooLarge = await fixture.Call("--key-id", "alice", "-X", "POST", "-d", "@" + large);

        Assert.True(accepted.ExitCode == 3 && accepted.StdErr.Contains("405", StringComparison.Ordinal), accepted.ToString());
        // 413 refuses the request, not this client: an HTTP error (3) as call --help documents, not an authentication refusal (1).
        Assert.True(tooLarge.ExitCode == 3, tooLarge.ToString());
        Assert.Contains("413", tooLarge.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_with_exit_code_1()
    {
        var credential = SignatureCredential.Load(fixture.Folder.ClientCredentialPath("revoked"));
        var revoke = await Tool.MutualAuth("key", "revoke", credential.KeyId, "--data-dir", fixture.DataDirectory);

        var result = await fixture.Call("--key-id", "revoked");

        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("refused this client's request signature", result.StdErr, StringComparison.Ordinal);
        Assert.True(await fixture.Gateway.WaitForOutput("unknown-key"), fixture.Gateway.Output);
    }

    [Fact]
    public async Task A_client_pinning_another_server_key_refuses_the_answer()
    {
        // The pin is what clients with asymmetric keys check the answer with (HMAC clients use the key derived from their secret).
        var credential = SignatureCredential.Load(fixture.Folder.ClientCredentialPath("ed"));
        var other = Path.Combine(fixture.DataDirectory, "other-server.json");
        using (var impostor = MutualAuth.MessageSignatures.HttpSignatureKey.Generate(MutualAuth.MessageSignatures.HttpSignatureAlgorithm.EcdsaP256Sha256))
        {
            await File.WriteAllTextAsync(other, (credential with { ServerPublicKey = impostor.ExportPublicKeyPem()! }).ToJson());
        }

        var result = await fixture.Call("--credential", other);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("response discarded", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("subject", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_hmac_client_gets_an_answer_signed_with_hmac_under_its_own_keyid()
    {
        var credential = SignatureCredential.Load(fixture.Folder.ClientCredentialPath("alice"));

        var result = await fixture.Call("--key-id", "alice", "-i");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($";alg=\"hmac-sha256\";keyid=\"{credential.KeyId}\";tag=\"mutualauth\"", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(credential.ServerKeyId, result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_asymmetric_client_gets_an_answer_signed_with_the_server_key()
    {
        var credential = SignatureCredential.Load(fixture.Folder.ClientCredentialPath("ed"));

        var result = await fixture.Call("--key-id", "ed", "-i");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($";alg=\"ecdsa-p256-sha256\";keyid=\"{credential.ServerKeyId}\";tag=\"mutualauth\"", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_hmac_client_checks_the_answer_with_its_derived_key_not_the_server_key_pin()
    {
        var credential = SignatureCredential.Load(fixture.Folder.ClientCredentialPath("alice"));
        var other = Path.Combine(fixture.DataDirectory, "alice-other-pin.json");
        using (var impostor = MutualAuth.MessageSignatures.HttpSignatureKey.Generate(MutualAuth.MessageSignatures.HttpSignatureAlgorithm.EcdsaP256Sha256))
        {
            await File.WriteAllTextAsync(other, (credential with { ServerPublicKey = impostor.ExportPublicKeyPem()! }).ToJson());
        }

        var result = await fixture.Call("--credential", other);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"subject\": \"alice\"", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_derived_response_key_is_never_logged()
    {
        var credential = SignatureCredential.Load(fixture.Folder.ClientCredentialPath("alice"));
        var info = System.Text.Encoding.UTF8.GetBytes(MutualAuth.MessageSignatures.HmacResponseKey.Info + "\0" + credential.KeyId);
        var derived = System.Security.Cryptography.HKDF.Expand(System.Security.Cryptography.HashAlgorithmName.SHA256, Convert.FromBase64String(credential.Secret!), 32, info);

        await fixture.Call("--key-id", "alice");
        var audit = await Tool.MutualAuth("audit", "--data-dir", fixture.DataDirectory);

        foreach (var form in new[] { Convert.ToBase64String(derived), Convert.ToHexString(derived), Convert.ToHexStringLower(derived) })
        {
            Assert.DoesNotContain(form, fixture.Gateway.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(form, audit.StdOut, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_secret_is_never_logged()
    {
        var credential = SignatureCredential.Load(fixture.Folder.ClientCredentialPath("alice"));

        await fixture.Call("--key-id", "alice");
        var audit = await Tool.MutualAuth("audit", "--data-dir", fixture.DataDirectory);

        Assert.DoesNotContain(credential.Secret!, fixture.Gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(credential.Secret!, audit.StdOut, StringComparison.Ordinal);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-sig-").FullName;

        public string DataDirectory => Path.Combine(_root, "data");

        public Storage.Sqlite.DataFolder Folder => new(DataDirectory);

        internal ServeProcess Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            foreach (var (client, algorithm) in new[] { ("alice", "hmac-sha256"), ("ed", "ed25519"), ("revoked", "ecdsa-p256-sha256") })
            {
                var created = await Tool.MutualAuth("key", "create", "--client", client, "--alg", algorithm, "--data-dir", DataDirectory);
                Assert.True(created.ExitCode == 0, created.ToString());
            }

            Gateway = await ServeProcess.Start(DataDirectory, "--route", "/=sig");
        }

        public async Task DisposeAsync()
        {
            if (Gateway is not null)
            {
                await Gateway.DisposeAsync();
            }

            Directory.Delete(_root, recursive: true);
        }

        internal Task<ProcessResult> Call(params string[] args) =>
            Tool.Run("dotnet", [Tool.CliAssembly, "call", Gateway.Url("/whoami"), .. args, "--data-dir", DataDirectory]);
    }
}
