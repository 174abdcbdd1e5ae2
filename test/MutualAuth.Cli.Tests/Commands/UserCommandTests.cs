using System.Text.Json;
using MutualAuth.Scram;

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
    public async Task Export_prints_the_postgres_verifier_of_the_stored_sha256_credential()
    {
        var password = Path.Combine(_folder.Root, "password");
        await File.WriteAllTextAsync(password, "correct horse\n");
        Assert.Equal(0, (await _folder.Run("user", "add", "alice", "--password-file", password, "--iterations", "5000")).ExitCode);

        var plain = await _folder.Run("user", "export", "alice");
        var json = await _folder.Run("user", "export", "alice", "--json");

        Assert.True(plain.ExitCode == 0, plain.ToString());
        var verifier = plain.StdOut.Trim();
        var parsed = ScramCredential.ParsePostgres(verifier);
        var derived = ScramCredential.Derive(ScramMechanism.Sha256, "correct horse", parsed.Salt, parsed.Iterations);
        Assert.Equal(5000, parsed.Iterations);
        Assert.Equal(derived.StoredKey, parsed.StoredKey);
        Assert.Equal(derived.ServerKey, parsed.ServerKey);
        Assert.DoesNotContain("correct horse", plain.StdOut + json.StdOut, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.StdOut);
        Assert.Equal("alice", document.RootElement.GetProperty("name").GetString());
        Assert.Equal("SCRAM-SHA-256", document.RootElement.GetProperty("mechanism").GetString());
        Assert.Equal(5000, document.RootElement.GetProperty("iterations").GetInt32());
        Assert.Equal(verifier, document.RootElement.GetProperty("postgresVerifier").GetString());

        // Export → import into another name gives back the same verifier.
        var file = Path.Combine(_folder.Root, "verifier");
        await File.WriteAllTextAsync(file, plain.StdOut);
        Assert.Equal(0, (await _folder.Run("user", "import", "copy", "--postgres-verifier-file", file)).ExitCode);
        Assert.Equal(verifier, (await _folder.Run("user", "export", "copy")).StdOut.Trim());
    }

    [Fact]
    public async Task Export_of_an_unknown_user_or_a_missing_data_folder_is_a_usage_error()
    {
        var noFolder = await _folder.Run("user", "export", "alice");
        await File.WriteAllTextAsync(Path.Combine(_folder.Root, "password"), "pw\n");
        await _folder.Run("user", "add", "alice", "--password-file", Path.Combine(_folder.Root, "password"));
        var unknown = await _folder.Run("user", "export", "nobody");

        Assert.True(noFolder.ExitCode == 2, noFolder.ToString());
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("no user 'nobody'", unknown.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SCRAM-SHA-256$4096:$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=")]
    [InlineData("SCRAM-SHA-256$2000000:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=")]
    public async Task Import_refuses_verifiers_no_client_would_accept(string verifier)
    {
        var file = Path.Combine(_folder.Root, "verifier");
        await File.WriteAllTextAsync(file, verifier);

        var result = await _folder.Run("user", "import", "pg", "--postgres-verifier-file", file);

        Assert.True(result.ExitCode == 2, result.ToString());
    }

    [Fact]
    public async Task Import_does_not_overwrite_an_existing_user()
    {
        var password = Path.Combine(_folder.Root, "password");
        await File.WriteAllTextAsync(password, "pw\n");
        var file = Path.Combine(_folder.Root, "verifier");
        await File.WriteAllTextAsync(file, "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=");
        await _folder.Run("user", "add", "alice", "--password-file", password);

        var result = await _folder.Run("user", "import", "alice", "--postgres-verifier-file", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("already exists", result.StdErr, StringComparison.Ordinal);
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
