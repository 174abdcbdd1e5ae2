using Microsoft.Extensions.Configuration;

namespace MutualAuth.Cli.Settings;

/// <summary>The keys of section <c>Call</c> and the flag each stands for; binds them to <see cref="CallSettings"/> with generated code.</summary>
internal static class CallSettingsKeys
{
    public static SettingsSection Section { get; } = new("Call", section => section.Get<CallSettings>() ?? new CallSettings(),
    [
        Text("Identity", "--identity", s => s.Identity),
        Text("Cert", "--cert", s => s.Cert),
        Text("Key", "--key", s => s.Key),
        List("Ca", "--ca", s => s.Ca),
        List("Pin", "--pin", s => s.Pin),
        Text("Name", "--name", s => s.Name),
        List("Crl", "--crl", s => s.Crl),
        Text("User", "--user", s => s.User),
        Text("ChannelBinding", "--channel-binding", s => s.ChannelBinding) with { AllowedValues = CallSettings.ChannelBindingModes },
        Text("Credential", "--credential", s => s.Credential),
        Text("KeyId", "--key-id", s => s.KeyId),
        // A path to a key file: the settings name it, config show prints the path, never the key.
        Text("PrivateKey", "--private-key", s => s.PrivateKey),
        // A token card: where its PIN is read from (a file path or a variable name, never the PIN) and the PKCS#11 module.
        Text("Card", "--card", s => s.Card),
        Text("PinFile", "--pin-file", s => s.PinFile),
        Text("PinEnv", "--pin-env", s => s.PinEnv),
        Text("Module", "--module", s => s.Module),
        SettingKey.Of<CallSettings>("ConnectTimeout", "--connect-timeout", SettingKind.Number, s => s.ConnectTimeout),
        SettingKey.Of<CallSettings>("MaxTime", "--max-time", SettingKind.Number, s => s.MaxTime),
        Text("Client", "--client", s => s.Client),
        Text("Issuer", "--issuer", s => s.Issuer),
    ]);

    private static SettingKey Text(string name, string flag, Func<CallSettings, object?> read) => SettingKey.Of(name, flag, SettingKind.Text, read);

    private static SettingKey List(string name, string flag, Func<CallSettings, object?> read) => SettingKey.Of(name, flag, SettingKind.List, read);
}
