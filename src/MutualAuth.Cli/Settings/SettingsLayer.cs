using Microsoft.Extensions.Configuration;

namespace MutualAuth.Cli.Settings;

/// <summary>One source of settings (the file, the environment or the flags) and how it names where a key came from.</summary>
internal sealed record SettingsLayer(SettingOrigin Origin, IConfigurationRoot Configuration, Func<string, string> Describe)
{
    /// <summary>Whether this layer sets <paramref name="path"/> (a list counts when it has items, or is given empty).</summary>
    public bool Sets(string path, SettingKind kind) => kind == SettingKind.List
        ? Configuration.Providers.Any(p => p.TryGet(path, out _)) || Configuration.GetSection(path).GetChildren().Any()
        : Configuration[path] is not null;
}
