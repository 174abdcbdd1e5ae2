using System.Text.Json;
using System.Text.RegularExpressions;
using MutualAuth.Storage;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli.Tests.Commands;

public sealed partial class WebAuthnCommandTests : IDisposable
{
    private readonly CliTempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Invite_prints_a_single_use_link_stored_for_the_user()
    {
        var invite = await _folder.Run("webauthn", "invite", "alice", "--origin", "https://login.example.com", "--minutes", "5");

        Assert.True(invite.ExitCode == 0, invite.ToString());
        var id = InviteId().Match(invite.StdOut).Groups[1].Value;
        var challenges = new SqliteWebAuthnChallengeStore(new DataFolder(_folder.Data).OpenDatabase());
        Assert.Equal("alice", await challenges.TakeAsync(id, "invite", DateTimeOffset.UtcNow));
        Assert.Null(await challenges.TakeAsync(id, "invite", DateTimeOffset.UtcNow));
    }

    [Theory]
    [InlineData("--origin", "https://login.example.com:443")]
    [InlineData("--origin", "https://Login.example.com")]
    [InlineData("--minutes", "0")]
    [InlineData("--minutes", "1441")]
    public async Task Invite_refuses_bad_options(string option, string value) =>
        Assert.Equal(2, (await _folder.Run("webauthn", "invite", "alice", option, value)).ExitCode);

    [Fact]
    public async Task List_and_remove_passkeys()
    {
        Assert.Equal(0, (await _folder.Run("webauthn", "invite", "alice")).ExitCode); // creates the data folder
        var store = new SqliteWebAuthnCredentialStore(new DataFolder(_folder.Data).OpenDatabase());
        await store.AddAsync(new WebAuthnCredentialRecord([1, 2, 3], "alice", [9], [4], 3, false, false, Guid.Empty, "none", DateTimeOffset.UtcNow, null));
        await store.AddAsync(new WebAuthnCredentialRecord([7, 8], "alice", [9], [4], 0, true, true, Guid.Empty, "none", DateTimeOffset.UtcNow, null));

        var list = await _folder.Run("webauthn", "list", "alice", "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal(["AQID", "Bwg"], JsonDocument.Parse(list.StdOut).RootElement.EnumerateArray().Select(p => p.GetProperty("credentialId").GetString()));
        Assert.Equal(0, (await _folder.Run("webauthn", "list", "alice")).ExitCode);

        Assert.Equal(0, (await _folder.Run("webauthn", "remove", "alice", "--id", "AQID")).ExitCode);
        Assert.Equal(2, (await _folder.Run("webauthn", "remove", "alice", "--id", "AQID")).ExitCode);
        Assert.Equal(2, (await _folder.Run("webauthn", "remove", "alice", "--id", "not base64url!")).ExitCode);
        Assert.Equal(0, (await _folder.Run("webauthn", "remove", "alice")).ExitCode);
        Assert.Empty(await store.ListAsync("alice"));
    }

    [GeneratedRegex(@"/webauthn/\?invite=(\S+)")]
    private static partial Regex InviteId();
}
