namespace MutualAuth.Cli.Settings;

/// <summary>How a setting's value is written in mutualauth.json and the environment.</summary>
internal enum SettingKind
{
    Text,
    Number,
    Boolean,
    List,
}
