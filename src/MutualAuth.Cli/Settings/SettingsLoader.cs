using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace MutualAuth.Cli.Settings;

/// <summary>
/// Fills a settings record from, weakest first: its defaults, <c>mutualauth.json</c> in the data folder (or
/// <c>--config FILE</c>), <c>MUTUALAUTH__…</c> environment variables, then the flags given.
/// </summary>
internal static class SettingsLoader
{
    /// <summary><c>--config FILE</c>, on each command that reads settings.</summary>
    public static Option<string?> ConfigOption() => new("--config")
    {
        Description = $"Settings file to read instead of {SettingsLayers.FileName} in the data folder; it must exist.",
        HelpName = "FILE",
    };

    /// <summary>Loads <paramref name="section"/> for a command; <paramref name="withFlags"/> false leaves flags out (config show).</summary>
    public static LoadedSettings<TSettings> Load<TSettings>(SettingsSection section, ParseResult parseResult, Option<string?> config, bool withFlags = true)
    {
        var configFile = parseResult.GetValue(config);
        if (configFile is { Length: 0 })
        {
            throw CliException.Usage("--config cannot be empty.");
        }

        var layers = new List<SettingsLayer>();
        if (SettingsLayers.File(configFile, GlobalOptions.Folder(parseResult).Root) is { } file)
        {
            layers.Add(file);
        }

        layers.Add(SettingsLayers.Environment());
        foreach (var layer in layers)
        {
            SettingsKeyCheck.RequireKnownKeys(layer);
        }

        if (withFlags)
        {
            layers.Add(SettingsLayers.Flags(section, parseResult));
        }

        var effective = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var sources = new Dictionary<string, SettingSource>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in section.Keys)
        {
            var path = section.Name + ":" + key.Name;
            // The strongest layer that sets a key gives all of its value: a list is never merged item by item across layers.
            var winner = layers.LastOrDefault(l => l.Sets(path, key.Kind));
            sources[key.Name] = winner is null ? SettingSource.Default : new SettingSource(winner.Origin, winner.Describe(path));
            if (winner is not null)
            {
                Copy(winner, path, key, effective);
            }
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(effective).Build();
        try
        {
            return new LoadedSettings<TSettings>((TSettings)section.Bind(configuration.GetSection(section.Name)), section, sources);
        }
        catch (InvalidOperationException e)
        {
            // Values are checked in Copy; this names the key should the binder still refuse one.
            throw CliException.Usage(e.Message, e);
        }
    }

    private static void Copy(SettingsLayer layer, string path, SettingKey key, Dictionary<string, string?> effective)
    {
        var from = layer.Describe(path);
        if (key.Kind != SettingKind.List)
        {
            var value = layer.Configuration[path]!;
            effective[path] = Check(value, key, path, from);
            return;
        }

        if (!string.IsNullOrEmpty(layer.Configuration[path]))
        {
            throw CliException.Usage($"{from}: '{path}' takes a list (a JSON array, or variables {SettingsLayers.EnvironmentPrefix}{path.Replace(":", "__", StringComparison.Ordinal)}__0, __1…).");
        }

        var index = 0;
        foreach (var item in layer.Configuration.GetSection(path).GetChildren())
        {
            if (item.Value is null)
            {
                throw CliException.Usage($"{from}: '{item.Path}' must be text, not an object or a list.");
            }

            effective[path + ":" + index++.ToString(CultureInfo.InvariantCulture)] = Check(item.Value, key, item.Path, from);
        }
    }

    private static string Check(string value, SettingKey key, string path, string from)
    {
        var problem = key.Kind switch
        {
            SettingKind.Number when !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => "must be a whole number",
            SettingKind.Boolean when !bool.TryParse(value, out _) => "must be true or false",
            _ when key.AllowedValues is { } allowed && !allowed.Contains(value, StringComparer.Ordinal) => $"must be one of {string.Join(", ", allowed)}",
            _ => null,
        };
        return problem is null ? value : throw CliException.Usage($"{from}: '{path}' {problem}, not '{value}'.");
    }
}
