using System.Text.Json;

namespace MutualAuth.Cli.Tests.Commands;

public sealed class ClientCommandTests : IDisposable
{
    private readonly CliTempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Add_creates_a_key_pair_and_a_private_credential_file_and_list_shows_no_keys()
    {
        var added = await _folder.Run("client", "add", "svc", "--scope", "read", "--scope", "write");
        var mtls = await _folder.Run("client", "add", "alice", "--mtls");
        var list = await _folder.Run("client", "list", "--json");

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.True(mtls.ExitCode == 0, mtls.ToString());
        var path = Path.Combine(_folder.Data, "credentials", "svc.oauth.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using var credential = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        Assert.Equal("svc", credential.RootElement.GetProperty("client_id").GetString());
        Assert.Contains("PRIVATE KEY", credential.RootElement.GetProperty("private_key").GetString(), StringComparison.Ordinal);
        using var clients = JsonDocument.Parse(list.StdOut);
        Assert.Equal(["alice", "svc"], clients.RootElement.EnumerateArray().Select(c => c.GetProperty("clientId").GetString()));
        Assert.DoesNotContain("\"x\"", list.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_refuses_a_taken_name_bad_options_and_a_jwks_with_private_members()
    {
        await _folder.Run("client", "add", "svc");
        var jwks = Path.Combine(_folder.Data, "private.jwks");
        await File.WriteAllTextAsync(jwks, """{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AA"}]}""");

        Assert.Equal(2, (await _folder.Run("client", "add", "svc")).ExitCode);
        Assert.Equal(2, (await _folder.Run("client", "add", "x", "--mtls", "--jwks", jwks)).ExitCode);
        Assert.Equal(2, (await _folder.Run("client", "add", "y", "--jwks", jwks)).ExitCode);
        Assert.Equal(2, (await _folder.Run("client", "add", "../z")).ExitCode);
    }

    [Fact]
    public async Task Rotate_writes_a_new_key_and_remove_deletes_the_client_and_its_credential()
    {
        await _folder.Run("client", "add", "svc");
        var path = Path.Combine(_folder.Data, "credentials", "svc.oauth.json");
        var before = await File.ReadAllTextAsync(path);

        var rotated = await _folder.Run("client", "rotate", "svc");
        var after = await File.ReadAllTextAsync(path);
        var removed = await _folder.Run("client", "remove", "svc");

        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        Assert.NotEqual(before, after);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.False(File.Exists(path));
        Assert.Equal(2, (await _folder.Run("client", "remove", "svc")).ExitCode);
    }

    [Fact]
    public async Task Rotate_keeps_the_previous_key_for_the_overlap_and_overlap_0_drops_it()
    {
        await _folder.Run("client", "add", "svc");
        var store = new MutualAuth.Storage.Sqlite.SqliteOAuthClientStore(new MutualAuth.Storage.Sqlite.DataFolder(_folder.Data).OpenDatabase());

        var overlapping = await _folder.Run("client", "rotate", "svc", "--overlap", "30");
        using var during = JsonDocument.Parse((await store.FindAsync("svc"))!.Jwks!);
        var atOnce = await _folder.Run("client", "rotate", "svc", "--overlap", "0");
        using var after = JsonDocument.Parse((await store.FindAsync("svc"))!.Jwks!);

        Assert.True(overlapping.ExitCode == 0, overlapping.ToString());
        Assert.Contains("stays accepted until", overlapping.StdOut, StringComparison.Ordinal);
        var keys = during.RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(2, keys.Count);
        Assert.False(keys[0].TryGetProperty("exp", out _));
        Assert.InRange(keys[1].GetProperty("exp").GetInt64() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 25 * 60, 31 * 60);
        Assert.True(atOnce.ExitCode == 0, atOnce.ToString());
        Assert.Single(after.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal(2, (await _folder.Run("client", "rotate", "svc", "--overlap", "-1")).ExitCode);
    }
}
