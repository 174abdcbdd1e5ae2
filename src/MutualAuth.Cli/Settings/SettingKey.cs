namespace MutualAuth.Cli.Settings;

/// <summary>One setting: its key in its section, the flag that sets it, how it is written, and how to read it from bound settings.</summary>
internal sealed record SettingKey(string Name, string Flag, SettingKind Kind, Func<object, object?> Read)
{
    /// <summary>The only values accepted, as the flag's <c>AcceptOnlyFromAmong</c>; null when any value of the kind is.</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }

    public static SettingKey Of<TSettings>(string name, string flag, SettingKind kind, Func<TSettings, object?> read) =>
        new(name, flag, kind, settings => read((TSettings)settings));
}
