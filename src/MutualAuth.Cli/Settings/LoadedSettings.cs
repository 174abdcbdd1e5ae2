namespace MutualAuth.Cli.Settings;

/// <summary>Effective settings and where each value came from.</summary>
internal sealed record LoadedSettings<TSettings>(TSettings Values, SettingsSection Section, IReadOnlyDictionary<string, SettingSource> Sources)
{
    /// <summary>How messages name a setting: its flag when the flag (or nothing) set it, else its key and source.</summary>
    public string Label(string key) => Sources[key] is { Origin: SettingOrigin.File or SettingOrigin.Environment } source
        ? $"{Section.Name}:{key} (from {source.Name})"
        : Section.Find(key)!.Flag;
}
