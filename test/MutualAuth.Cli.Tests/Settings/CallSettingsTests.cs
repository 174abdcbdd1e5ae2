namespace MutualAuth.Cli.Tests.Settings;

/// <summary>call reads how to authenticate from section Call: flags over MUTUALAUTH__Call__… over mutualauth.json.</summary>
public sealed class CallSettingsTests : IDisposable
{
    private readonly CliTempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_settings_file_chooses_the_client_identity()
    {
        _folder.WriteSettings("""{ "Call": { "Identity": "from-file" } }""");

        var result = await _folder.Run("call", "https://localhost:1/whoami");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("no client identity 'from-file'", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_environment_overrides_the_file_and_a_flag_overrides_both()
    {
        _folder.WriteSettings("""{ "Call": { "Identity": "from-file" } }""");
        var environment = new Dictionary<string, string> { ["MUTUALAUTH__Call__Identity"] = "from-env" };

        var fromEnvironment = await _folder.Run(environment, "call", "https://localhost:1/whoami");
        var fromFlag = await _folder.Run(environment, "call", "https://localhost:1/whoami", "--identity", "from-flag");

        Assert.Contains("no client identity 'from-env'", fromEnvironment.StdErr, StringComparison.Ordinal);
        Assert.Contains("no client identity 'from-flag'", fromFlag.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_outside_the_choices_is_refused_with_its_variable()
    {
        var result = await _folder.Run(new Dictionary<string, string> { ["MUTUALAUTH__Call__ChannelBinding"] = "sometimes" }, "call", "https://localhost:1/whoami");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("MUTUALAUTH__Call__ChannelBinding: 'Call:ChannelBinding' must be one of preferred, required, disabled, not 'sometimes'.", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_call_key_is_refused_with_its_name()
    {
        var path = _folder.WriteSettings("""{ "Call": { "Url": "https://localhost/" } }""");

        var result = await _folder.Run("call", "https://localhost:1/whoami");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{path}: unknown setting 'Call:Url'", result.StdErr, StringComparison.Ordinal);
    }
}
