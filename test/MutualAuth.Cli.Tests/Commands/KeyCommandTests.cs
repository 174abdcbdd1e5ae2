using System.Text.Json;
using MutualAuth.Http;
using MutualAuth.MessageSignatures;

namespace MutualAuth.Cli.Tests.Commands;

public sealed class KeyCommandTests : IDisposable
{
    private readonly CliTempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Create_writes_a_private_credential_with_the_pinned_server_key_and_shows_the_secret_once()
    {
        var created = await _folder.Run("key", "create", "--client", "alice");
        var list = await _folder.Run("key", "list", "--json");
        var server = await _folder.Run("key", "server-public", "--json");

        Assert.True(created.ExitCode == 0, created.ToString());
        var path = Path.Combine(_folder.Data, "credentials", "alice.json");
        var credential = SignatureCredential.Load(path);
        Assert.Equal("hmac-sha256", credential.Algorithm);
        Assert.Contains(credential.Secret!, created.StdOut, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.DoesNotContain(credential.Secret!, list.StdOut + await File.ReadAllTextAsync(Path.Combine(_folder.Data, "mutualauth.db")), StringComparison.Ordinal);
        using var serverJson = JsonDocument.Parse(server.StdOut);
        Assert.Equal(credential.ServerKeyId, serverJson.RootElement.GetProperty("keyId").GetString());
        Assert.Equal(credential.ServerPublicKey.ReplaceLineEndings(), serverJson.RootElement.GetProperty("publicKey").GetString()!.ReplaceLineEndings());
        using var listJson = JsonDocument.Parse(list.StdOut);
        Assert.Equal(credential.KeyId, listJson.RootElement[0].GetProperty("keyId").GetString());
        using var key = credential.ClientKey();
        Assert.True(key.CanSign);
    }

    [Fact]
    public async Task Call_refuses_a_credential_whose_key_does_not_fit_its_algorithm()
    {
        await _folder.Run("ca", "init"); // call needs a trust anchor for the server before it looks at the credential
        await _folder.Run("key", "create", "--client", "alice");
        var path = Path.Combine(_folder.Data, "credentials", "alice.json");
        var edited = Path.Combine(_folder.Data, "edited.json");
        await File.WriteAllTextAsync(edited, (await File.ReadAllTextAsync(path)).Replace("\"hmac-sha256\"", "\"ecdsa-p256-sha256\"", StringComparison.Ordinal));

        var call = await _folder.Run("call", "https://localhost:1/whoami", "--credential", edited);

        Assert.True(call.ExitCode == 2, call.ToString());
        Assert.Contains("does not fit its algorithm", call.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_finds_the_credential_by_client_name_or_by_the_key_id_key_create_printed()
    {
        await _folder.Run("ca", "init");
        await _folder.Run("key", "create", "--client", "alice");
        var keyId = SignatureCredential.Load(Path.Combine(_folder.Data, "credentials", "alice.json")).KeyId;

        // Nothing listens on port 1: getting as far as connecting means the credential was found and usable.
        var byName = await _folder.Run("call", "https://localhost:1/whoami", "--key-id", "alice");
        var byKeyId = await _folder.Run("call", "https://localhost:1/whoami", "--key-id", keyId);
        var byOldKeyId = await _folder.Run("call", "https://localhost:1/whoami", "--key-id", "alice-000000000000");

        Assert.True(byName.ExitCode == 3, byName.ToString());
        Assert.True(byKeyId.ExitCode == 3, byKeyId.ToString());
        Assert.True(byOldKeyId.ExitCode == 2, byOldKeyId.ToString());
        Assert.Contains($"holds key '{keyId}', not 'alice-000000000000'", byOldKeyId.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asymmetric_keys_keep_only_the_public_half_and_a_brought_public_key_is_registered_as_is()
    {
        using var own = HttpSignatureKey.Generate(HttpSignatureAlgorithm.EcdsaP256Sha256);
        var publicKey = Path.Combine(_folder.Root, "bob.pub");
        await File.WriteAllTextAsync(publicKey, own.ExportPublicKeyPem());

        var generated = await _folder.Run("key", "create", "--client", "carol", "--alg", "ed25519");
        var brought = await _folder.Run("key", "create", "--client", "bob", "--alg", "ecdsa-p256-sha256", "--public-key", publicKey, "--out", Path.Combine(_folder.Root, "bob.json"));
        var hmacWithPublicKey = await _folder.Run("key", "create", "--client", "dave", "--public-key", publicKey);

        Assert.True(generated.ExitCode == 0, generated.ToString());
        Assert.True(brought.ExitCode == 0, brought.ToString());
        Assert.NotNull(SignatureCredential.Load(Path.Combine(_folder.Data, "credentials", "carol.json")).PrivateKey);
        Assert.Null(SignatureCredential.Load(Path.Combine(_folder.Root, "bob.json")).PrivateKey);
        Assert.Equal(2, hmacWithPublicKey.ExitCode);
    }

    [Fact]
    public async Task Rotate_keeps_the_old_key_for_the_overlap_and_revoke_ends_a_key()
    {
        await _folder.Run("key", "create", "--client", "alice");
        var first = SignatureCredential.Load(Path.Combine(_folder.Data, "credentials", "alice.json")).KeyId;

        var rotated = await _folder.Run("key", "rotate", "--client", "alice", "--overlap", "1");
        var second = SignatureCredential.Load(Path.Combine(_folder.Data, "credentials", "alice.json")).KeyId;
        var revoked = await _folder.Run("key", "revoke", first);
        var again = await _folder.Run("key", "revoke", first);
        var list = await _folder.Run("key", "list", "--client", "alice", "--json");

        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        Assert.NotEqual(first, second);
        Assert.Equal((0, 2), (revoked.ExitCode, again.ExitCode));
        using var json = JsonDocument.Parse(list.StdOut);
        var statuses = json.RootElement.EnumerateArray().ToDictionary(k => k.GetProperty("keyId").GetString()!, k => k.GetProperty("status").GetString()!);
        Assert.Equal("active", statuses[second]);
        Assert.StartsWith("revoked", statuses[first], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_refuses_a_client_that_already_has_a_usable_key()
    {
        await _folder.Run("key", "create", "--client", "alice");

        var again = await _folder.Run("key", "create", "--client", "alice");

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("key rotate", again.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("key", "create", "--client", "../evil")]
    [InlineData("key", "create", "--client", "x", "--alg", "hs256")]
    [InlineData("key", "rotate", "--client", "nobody")]
    public async Task Bad_input_is_a_usage_error(params string[] args)
    {
        await _folder.Run("key", "server-public");

        var result = await _folder.Run(args);

        Assert.True(result.ExitCode == 2, result.ToString());
    }
}
