using Microsoft.Extensions.Configuration;

namespace MutualAuth.Cli.Settings;

/// <summary>A section of mutualauth.json (<c>Serve</c>, <c>Call</c>): its keys and how the effective values bind to its settings record.</summary>
internal sealed class SettingsSection(string name, Func<IConfiguration, object> bind, IReadOnlyList<SettingKey> keys)
{
    public string Name { get; } = name;

    public IReadOnlyList<SettingKey> Keys { get; } = keys;

    /// <summary>Every section, for checking that a file or the environment names only known settings.</summary>
    public static IReadOnlyList<SettingsSection> All => [ServeSettingsKeys.Section, CallSettingsKeys.Section];

    public object Bind(IConfiguration section) => bind(section);

    public SettingKey? Find(string key) => Keys.FirstOrDefault(k => string.Equals(k.Name, key, StringComparison.OrdinalIgnoreCase));
}
