using System.Collections;
using System.Globalization;
using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Configuration;

namespace MutualAuth.Cli.Settings;

/// <summary>Builds the layers: <c>mutualauth.json</c> (or <c>--config FILE</c>), <c>MUTUALAUTH__…</c> variables, and the flags given.</summary>
internal static class SettingsLayers
{
    public const string FileName = "mutualauth.json";
    public const string EnvironmentPrefix = "MUTUALAUTH__";

    /// <summary>The settings file, or null when none is given and the data folder holds none.</summary>
    public static SettingsLayer? File(string? configFile, string dataFolder)
    {
        if (configFile is not null && !System.IO.File.Exists(configFile))
        {
            throw CliException.Usage($"--config '{configFile}': no such file.");
        }

        var path = Path.GetFullPath(configFile ?? Path.Combine(dataFolder, FileName));
        if (!System.IO.File.Exists(path))
        {
            return null;
        }

        // Settings choose trust anchors and allow-rules: a file others could change is not used (as the data folder's keys).
        if (!OperatingSystem.IsWindows() && (System.IO.File.GetUnixFileMode(path) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw CliException.Usage($"'{path}' is writable by other users, so it is not used (chmod go-w '{path}').");
        }

        var bytes = System.IO.File.ReadAllBytes(path);
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(bytes)).Build();
            return new SettingsLayer(SettingOrigin.File, configuration, _ => path);
        }
        catch (FormatException e)
        {
            throw CliException.Usage($"{path}: not valid settings JSON: {e.InnerException?.Message ?? e.Message}", e);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw CliException.Usage($"{path}: not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The <c>MUTUALAUTH__</c> variables (<c>__</c> separates a section from its key, and a list's items: <c>__0</c>, <c>__1</c>…).</summary>
    public static SettingsLayer Environment()
    {
        var names = new List<(string Path, string Variable)>();
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                names.Add((name[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), name));
            }
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables(EnvironmentPrefix).Build();
        return new SettingsLayer(SettingOrigin.Environment, configuration, path => Variable(names, path));
    }

    /// <summary>The flags given on the command line (not their defaults) for the keys of <paramref name="section"/>.</summary>
    public static SettingsLayer Flags(SettingsSection section, ParseResult parseResult)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var options = parseResult.CommandResult.Command.Options;
        foreach (var key in section.Keys)
        {
            // Every key stands for a flag of its command: a key whose flag was renamed fails every run, not silently.
            var option = options.FirstOrDefault(o => o.Name == key.Flag)
                ?? throw new InvalidOperationException($"'{parseResult.CommandResult.Command.Name}' has no flag {key.Flag} for setting {section.Name}:{key.Name}.");
            if (parseResult.GetResult(option) is not OptionResult { Implicit: false } given)
            {
                continue;
            }

            var path = section.Name + ":" + key.Name;
            switch (key.Kind)
            {
                case SettingKind.List:
                    var items = given.GetValueOrDefault<string[]>() ?? [];
                    for (var i = 0; i < items.Length; i++)
                    {
                        values[path + ":" + i.ToString(CultureInfo.InvariantCulture)] = items[i];
                    }

                    break;
                case SettingKind.Boolean:
                    values[path] = given.GetValueOrDefault<bool>() ? "true" : "false";
                    break;
                case SettingKind.Number:
                    values[path] = given.GetValueOrDefault<int>().ToString(CultureInfo.InvariantCulture);
                    break;
                default:
                    values[path] = given.GetValueOrDefault<string?>();
                    break;
            }
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new SettingsLayer(SettingOrigin.Flag, configuration, path => section.Find(path[(section.Name.Length + 1)..].Split(':')[0])?.Flag ?? path);
    }

    private static string Variable(List<(string Path, string Variable)> names, string path)
    {
        if (names.FirstOrDefault(n => string.Equals(n.Path, path, StringComparison.OrdinalIgnoreCase)) is { Variable: not null } exact)
        {
            return exact.Variable;
        }

        // A list comes from several variables (…__0, …__1): name the first.
        return names.Where(n => n.Path.StartsWith(path + ":", StringComparison.OrdinalIgnoreCase)).Select(n => n.Variable).Order(StringComparer.Ordinal).FirstOrDefault()
            ?? EnvironmentPrefix + path.Replace(":", "__", StringComparison.Ordinal);
    }
}
