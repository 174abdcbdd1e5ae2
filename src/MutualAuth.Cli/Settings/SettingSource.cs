namespace MutualAuth.Cli.Settings;

/// <summary>The layers a setting can come from, weakest first.</summary>
internal enum SettingOrigin
{
    Default,
    File,
    Environment,
    Flag,
}

/// <summary>Where one setting's value came from: its layer and the file path, environment variable or flag.</summary>
internal sealed record SettingSource(SettingOrigin Origin, string Name)
{
    public static SettingSource Default { get; } = new(SettingOrigin.Default, "default");

    /// <summary>The layer in lower case, as <c>config show --json</c> prints it.</summary>
    public string OriginName => Origin.ToString().ToLowerInvariant();
}
