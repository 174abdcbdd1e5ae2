using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using MutualAuth.Cli.Settings;
using Spectre.Console;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth config show</c>: the effective settings of serve and call, and where each value came from.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var json = GlobalOptions.Json();
        var config = SettingsLoader.ConfigOption();
        var show = new Command("show", $"""
            Print the settings serve and call would use, and where each value came from: default, the settings file
            ({SettingsLayers.FileName} in the data folder, or --config FILE), or an environment variable ({SettingsLayers.EnvironmentPrefix}Serve__Listen…).
            Flags given to serve or call override all of these. Settings name files (keys, secrets), never their contents.
            """)
        { json, config };
        show.SetRunner(parseResult =>
        {
            var rows = SettingsSection.All.SelectMany(section => Rows(section, parseResult, config)).ToList();
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(rows, CliJson.Context.ListSettingReport));
                return ExitCodes.Success;
            }

            var table = Tables.Create("Setting", "Value", "From");
            foreach (var row in rows)
            {
                table.AddRow(Tables.Cell(row.Key), Tables.Cell(row.Value?.ToJsonString(CliJson.Context.Options) ?? "(none)"), Tables.Cell(row.From));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return new Command("config", "Settings: mutualauth.json, MUTUALAUTH__… environment variables and flags (see docs/configuration.md).") { show };
    }

    private static IEnumerable<SettingReport> Rows(SettingsSection section, ParseResult parseResult, Option<string?> config)
    {
        var loaded = SettingsLoader.Load<object>(section, parseResult, config, withFlags: false);
        return section.Keys.Select(key =>
        {
            var source = loaded.Sources[key.Name];
            return new SettingReport($"{section.Name}:{key.Name}", ToJson(key.Read(loaded.Values)), source.OriginName, source.Name);
        });
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        bool flag => JsonValue.Create(flag),
        int number => JsonValue.Create(number),
        string[] items => new JsonArray([.. items.Select(i => (JsonNode?)JsonValue.Create(i))]),
        _ => JsonValue.Create(value.ToString()),
    };
}

/// <summary>One row of <c>config show</c>: a key, its effective value, its layer (default, file, environment) and the file or variable.</summary>
internal sealed record SettingReport(string Key, JsonNode? Value, string Source, string From);
