using MutualAuth.Testing;

namespace MutualAuth.Cli.Tests.Settings;

/// <summary>serve's listen address from, weakest first: default, mutualauth.json, MUTUALAUTH__ variables, flags.</summary>
public sealed class ServeSettingsTests : IDisposable
{
    private readonly CliTempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_settings_file_changes_the_listen_address()
    {
        var port = Tool.FreePort();
        _folder.WriteSettings($$"""{ "Serve": { "Listen": "127.0.0.1:{{port}}" } }""");

        var (address, output) = await ServeUntilListening.Run(_folder, null);

        Assert.True(address == $"https://127.0.0.1:{port}", output);
    }

    [Fact]
    public async Task An_environment_variable_overrides_the_file()
    {
        var port = Tool.FreePort();
        _folder.WriteSettings($$"""{ "Serve": { "Listen": "127.0.0.1:{{Tool.FreePort()}}" } }""");

        var (address, output) = await ServeUntilListening.Run(_folder, new Dictionary<string, string> { ["MUTUALAUTH__Serve__Listen"] = $"127.0.0.1:{port}" });

        Assert.True(address == $"https://127.0.0.1:{port}", output);
    }

    [Fact]
    public async Task A_flag_overrides_the_environment_and_the_file()
    {
        var port = Tool.FreePort();
        _folder.WriteSettings($$"""{ "Serve": { "Listen": "127.0.0.1:{{Tool.FreePort()}}" } }""");

        var (address, output) = await ServeUntilListening.Run(_folder, new Dictionary<string, string> { ["MUTUALAUTH__Serve__Listen"] = $"127.0.0.1:{Tool.FreePort()}" },
            "--listen", $"127.0.0.1:{port}");

        Assert.True(address == $"https://127.0.0.1:{port}", output);
    }

    [Fact]
    public async Task A_list_from_the_environment_replaces_the_file_list_whole()
    {
        _folder.WriteSettings($$"""{ "Serve": { "Listen": "127.0.0.1:{{Tool.FreePort()}}", "Route": ["/a=scram", "/b=sig"] } }""");

        var (address, output) = await ServeUntilListening.Run(_folder, new Dictionary<string, string> { ["MUTUALAUTH__Serve__Route__0"] = "/c=none" });

        Assert.True(address is not null, output);
        Assert.Contains("route /c=none", output, StringComparison.Ordinal);
        Assert.DoesNotContain("route /a", output, StringComparison.Ordinal);
        Assert.DoesNotContain("route /b", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_value_from_the_file_names_the_key_and_the_file()
    {
        var path = _folder.WriteSettings("""{ "Serve": { "Listen": "localhost" } }""");

        var result = await _folder.Run("serve");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"Serve:Listen (from {path}) 'localhost' is not IP:PORT", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "Serve": { "Lisen": "127.0.0.1:9443" } }""", "unknown setting 'Serve:Lisen'")]
    [InlineData("""{ "Kestrel": { "Endpoints": { "Http": { "Url": "http://127.0.0.1:9080" } } } }""", "unknown setting 'Kestrel'")]
    [InlineData("""{ "Serve": { "Urls": "http://127.0.0.1:9080" } }""", "unknown setting 'Serve:Urls'")]
    [InlineData("""{ "Serve": { "Listen": ["127.0.0.1:9443", "127.0.0.1:9444"] } }""", "'Serve:Listen' takes one value")]
    [InlineData("""{ "Serve": { "AuditSync": "sometimes" } }""", "'Serve:AuditSync' must be true or false, not 'sometimes'")]
    [InlineData("""{ "Serve": { "ScramSessionMinutes": "soon" } }""", "'Serve:ScramSessionMinutes' must be a whole number")]
    [InlineData("""{ "Serve": { "Revocation": "sometimes" } }""", "'Serve:Revocation' must be one of leaf, chain, none")]
    [InlineData("""{ "Serve": { "Route": "/a=scram" } }""", "'Serve:Route' takes a list")]
    [InlineData("""{ "Serve": """, "not valid")]
    public async Task A_bad_file_is_refused_with_the_key_before_listening(string json, string message)
    {
        var path = _folder.WriteSettings(json);

        var result = await _folder.Run("serve");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{path}: ", result.StdErr, StringComparison.Ordinal);
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", result.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MUTUALAUTH__Serve__Lisen", "unknown setting 'Serve:Lisen'")]
    [InlineData("MUTUALAUTH__Kestrel__Endpoints__Http__Url", "unknown setting 'Kestrel'")]
    [InlineData("MUTUALAUTH__Serve__Listen__0", "unknown setting 'Serve:Listen:0' ('Serve:Listen' takes one value")]
    public async Task An_unknown_environment_variable_is_refused_with_its_name(string variable, string message)
    {
        var result = await _folder.Run(new Dictionary<string, string> { [variable] = "http://127.0.0.1:9080" }, "serve");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{variable}: {message}", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_file_that_does_not_exist_is_a_usage_error()
    {
        var result = await _folder.Run("serve", "--config", Path.Combine(_folder.Root, "none.json"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("none.json': no such file", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_file_replaces_the_data_folder_file()
    {
        var port = Tool.FreePort();
        _folder.WriteSettings("""{ "Serve": { "Lisen": "ignored: this file is not read" } }""");
        var other = Path.Combine(_folder.Root, "other.json");
        await File.WriteAllTextAsync(other, $$"""{ "Serve": { "Listen": "127.0.0.1:{{port}}" } }""");

        var (address, output) = await ServeUntilListening.Run(_folder, null, "--config", other);

        Assert.True(address == $"https://127.0.0.1:{port}", output);
    }

    [Fact]
    public async Task A_settings_file_other_users_can_write_is_refused()
    {
        var path = _folder.WriteSettings("""{ "Serve": {} }""");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite);

        var result = await _folder.Run("serve");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("writable by other users", result.StdErr, StringComparison.Ordinal);
    }
}
