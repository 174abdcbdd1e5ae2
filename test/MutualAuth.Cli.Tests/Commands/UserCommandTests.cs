using System.Text.Json;

namespace MutualAuth.Cli.Tests.Commands;

public sealed class UserCommandTests : IDisposable
{
    private readonly CliTempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Add_passwd_import_list_and_remove()
    {
        var password = Path.Combine(_folder.Root, "password");
        await File.WriteAllTextAsync(password, "correct horse\n");
        var verifier = Path.Combine(_folder.Root, "verifier");
        await File.WriteAllTextAsync(verifier, "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=\n");

        Assert.Equal(0, (await _folder.Run("user", "add", "alice", "--password-file", password)).ExitCode);
        Assert.Equal(2, (await _folder.Run("user", "add", "alice", "--password-file", password)).ExitCode);
        Assert.Equal(0, (await _folder.Run("user", "passwd", "alice", "--password-file", password, "--iterations", "10000")).ExitCode);
        Assert.Equal(2, (await _folder.Run("user", "passwd", "nobody", "--password-file", password)).ExitCode);
        Assert.Equal(0, (await _folder.Run("user", "import", "pg", "--postgres-verifier-file", verifier)).ExitCode);
        var list = await _folder.Run("user", "list", "--json");
        Assert.Equal(0, (await _folder.Run("user", "remove", "alice")).ExitCode);
        Assert.Equal(2, (await _folder.Run("user", "remove", "alice")).ExitCode);

        using var json = JsonDocument.Parse(list.StdOut);
        Assert.Equal(["alice", "pg"], json.RootElement.EnumerateArray().Select(u => u.GetProperty("name").GetString()));
        Assert.DoesNotContain("correct horse", list.StdOut + (await _folder.Run("user", "list")).StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_are_kept_under_their_saslprep_name()
    {
        var password = Path.Combine(_folder.Root, "password");
        await File.WriteAllTextAsync(password, "p\u00E4ss\n");

        Assert.Equal(0, (await _folder.Run("user", "add", "I\u00ADX", "--password-file", password)).ExitCode);
        Assert.Equal(2, (await _folder.Run("user", "add", "IX", "--password-file", password)).ExitCode);
        Assert.Equal(0, (await _folder.Run("user", "passwd", "\u2168", "--password-file", password)).ExitCode);
        Assert.Equal(0, (await _folder.Run("user", "add", "Jos\u00E9", "--password-file", password)).ExitCode);
        var list = await _folder.Run("user", "list", "--json");
        Assert.Equal(0, (await _folder.Run("user", "remove", "IX")).ExitCode);

        using var json = JsonDocument.Parse(list.StdOut);
        Assert.Equal(["IX", "Jos\u00E9"], json.RootElement.EnumerateArray().Select(u => u.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("user", "add", "bob")]
    [InlineData("user", "add", "bob", "--password-env", "MUTUALAUTH_TEST_UNSET_VARIABLE")]
    [InlineData("user", "add", "\u0627\u0031", "--password-env", "HOME")]
    [InlineData("user", "add", "bob", "--password-env", "HOME", "--iterations", "100")]
    public async Task Missing_or_unusable_passwords_are_usage_errors(params string[] args)
    {
        var result = await _folder.Run(args);

        Assert.True(result.ExitCode == 2, result.ToString());
    }
}
