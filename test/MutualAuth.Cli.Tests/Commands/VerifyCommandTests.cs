using System.Text.Json;

namespace MutualAuth.Cli.Tests.Commands;

public sealed class VerifyCommandTests : IDisposable
{
    private readonly CliTempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Identity(string name, string file = "chain.pem") => Path.Combine(_folder.Data, "identities", name, file);

    private async Task Setup()
    {
        Assert.Equal(0, (await _folder.Run("ca", "init")).ExitCode);
        Assert.Equal(0, (await _folder.Run("ca", "issue", "client", "--name", "alice")).ExitCode);
        Assert.Equal(0, (await _folder.Run("ca", "issue", "server", "--dns", "api.example.org")).ExitCode);
    }

    [Fact]
    public async Task Explains_an_accepted_certificate_check_by_check()
    {
        await Setup();

        var result = await _folder.Run("verify", Identity("alice"), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StdOut);
        Assert.True(json.RootElement.GetProperty("accepted").GetBoolean());
        Assert.Equal("client", json.RootElement.GetProperty("purpose").GetString());
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("check").GetString()!, c => c.GetProperty("result").GetString());
        Assert.Equal("passed", checks["path to a trust anchor"]);
        Assert.Equal("passed", checks["revocation"]);
        Assert.Equal("skipped", checks["SPKI pins"]);
    }

    [Fact]
    public async Task Shows_every_failing_check_and_exits_with_1()
    {
        await Setup();

        var result = await _folder.Run("verify", Identity("server"), "--name", "www.example.org", "--at", "2099-01-01T00:00:00Z", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        using var json = JsonDocument.Parse(result.StdOut);
        Assert.Equal("expired", json.RootElement.GetProperty("reason").GetString());
        var failed = json.RootElement.GetProperty("checks").EnumerateArray()
            .Where(c => c.GetProperty("result").GetString() == "failed")
            .Select(c => c.GetProperty("reason").GetString())
            .ToList();
        Assert.Equal(["expired", "name-mismatch"], failed);
    }

    [Fact]
    public async Task Prints_a_table_with_the_reason_for_a_revoked_certificate()
    {
        await Setup();
        var list = await _folder.Run("ca", "list", "--json");
        using var json = JsonDocument.Parse(list.StdOut);
        var serial = json.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "alice").GetProperty("serial").GetString()!;
        await _folder.Run("ca", "revoke", serial);

        var result = await _folder.Run("verify", Identity("alice"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL revoked", result.StdOut, StringComparison.Ordinal);
        Assert.Contains($"Refused: revoked: Certificate {serial} was revoked", result.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--at", "yesterday")]
    [InlineData("--purpose", "both")]
    [InlineData("--trust", "/nonexistent.pem")]
    public async Task Bad_input_is_a_usage_error(string option, string value)
    {
        await Setup();

        var result = await _folder.Run("verify", Identity("alice"), option, value);

        Assert.True(result.ExitCode == 2, result.ToString());
    }
}
