using System.Text.Json;

namespace MutualAuth.Cli.Tests.Commands;

public sealed class ConfigCommandTests : IDisposable
{
    private readonly CliTempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Show_tells_where_each_value_came_from()
    {
        var path = _folder.WriteSettings("""{ "Serve": { "Listen": "127.0.0.1:9443", "Route": ["/api=scram"] }, "Call": { "PrivateKey": "/keys/client.pem" } }""");
        var environment = new Dictionary<string, string> { ["MUTUALAUTH__Serve__LogLevel"] = "debug", ["MUTUALAUTH__Call__Ca__0"] = "/trust/root.pem" };

        var result = await _folder.Run(environment, "config", "show", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var rows = JsonDocument.Parse(result.StdOut).RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Assert.Equal("127.0.0.1:9443", rows["Serve:Listen"].GetProperty("value").GetString());
        Assert.Equal("file", rows["Serve:Listen"].GetProperty("source").GetString());
        Assert.Equal(path, rows["Serve:Listen"].GetProperty("from").GetString());
        Assert.Equal("/api=scram", rows["Serve:Route"].GetProperty("value")[0].GetString());
        Assert.Equal("debug", rows["Serve:LogLevel"].GetProperty("value").GetString());
        Assert.Equal("environment", rows["Serve:LogLevel"].GetProperty("source").GetString());
        Assert.Equal("MUTUALAUTH__Serve__LogLevel", rows["Serve:LogLevel"].GetProperty("from").GetString());
        Assert.Equal("MUTUALAUTH__Call__Ca__0", rows["Call:Ca"].GetProperty("from").GetString());
        Assert.Equal("default", rows["Serve:ScramSessionMinutes"].GetProperty("source").GetString());
        Assert.Equal(15, rows["Serve:ScramSessionMinutes"].GetProperty("value").GetInt32());
        Assert.Equal("/keys/client.pem", rows["Call:PrivateKey"].GetProperty("value").GetString());
    }

    [Fact]
    public async Task Show_prints_a_table_without_json()
    {
        _folder.WriteSettings("""{ "Serve": { "Listen": "127.0.0.1:9443" } }""");

        var result = await _folder.Run("config", "show");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Serve:Listen", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("mutualauth.json", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("default", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_refuses_an_unknown_key_with_its_name()
    {
        var path = _folder.WriteSettings("""{ "Serve": { "Lisen": "127.0.0.1:9443" } }""");

        var result = await _folder.Run("config", "show");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{path}: unknown setting 'Serve:Lisen' (did you mean 'Serve:Listen'?)", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_does_not_create_the_data_folder()
    {
        var result = await _folder.Run("config", "show", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(Directory.Exists(_folder.Data));
    }
}
