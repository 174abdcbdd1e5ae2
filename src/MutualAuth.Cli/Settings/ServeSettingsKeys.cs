using Microsoft.Extensions.Configuration;

namespace MutualAuth.Cli.Settings;

/// <summary>The keys of section <c>Serve</c> and the flag each stands for; binds them to <see cref="ServeSettings"/> with generated code.</summary>
internal static class ServeSettingsKeys
{
    public static SettingsSection Section { get; } = new("Serve", section => section.Get<ServeSettings>() ?? new ServeSettings(),
    [
        Text("Listen", "--listen", s => s.Listen),
        Text("Identity", "--identity", s => s.Identity),
        Text("Cert", "--cert", s => s.Cert),
        Text("Key", "--key", s => s.Key),
        // --key pkcs11:…: where the token PIN is read from (a file path or a variable name, never the PIN) and the module.
        Text("PinFile", "--pin-file", s => s.PinFile),
        Text("PinEnv", "--pin-env", s => s.PinEnv),
        Text("Module", "--module", s => s.Module),
        List("Trust", "--trust", s => s.Trust),
        Boolean("TrustSystemRoots", "--trust-system-roots", s => s.TrustSystemRoots),
        List("Crl", "--crl", s => s.Crl),
        Text("Revocation", "--revocation", s => s.Revocation) with { AllowedValues = ServeSettings.RevocationModes },
        Boolean("AllowMissingCrl", "--allow-missing-crl", s => s.AllowMissingCrl),
        List("AllowCn", "--allow-cn", s => s.AllowCn),
        List("AllowOu", "--allow-ou", s => s.AllowOu),
        List("AllowDns", "--allow-dns", s => s.AllowDns),
        List("AllowUri", "--allow-uri", s => s.AllowUri),
        Text("Upstream", "--upstream", s => s.Upstream),
        Text("IdentityHeaderPrefix", "--identity-header-prefix", s => s.IdentityHeaderPrefix),
        List("Route", "--route", s => s.Route),
        Boolean("ScramRequireChannelBinding", "--scram-require-channel-binding", s => s.ScramRequireChannelBinding),
        SettingKey.Of<ServeSettings>("ScramSessionMinutes", "--scram-session-minutes", SettingKind.Number, s => s.ScramSessionMinutes),
        Text("WebAuthnOrigin", "--webauthn-origin", s => s.WebAuthnOrigin),
        Text("WebAuthnRpId", "--webauthn-rp-id", s => s.WebAuthnRpId),
        Text("LogLevel", "--log-level", s => s.LogLevel) with { AllowedValues = ServeSettings.LogLevels },
        Boolean("AuditSync", "--audit-sync", s => s.AuditSync),
        Boolean("ReplaySync", "--replay-sync", s => s.ReplaySync),
        Text("PublicUrl", "--public-url", s => s.PublicUrl),
        List("TokenIssuer", "--token-issuer", s => s.TokenIssuer),
        List("TokenIssuerCa", "--token-issuer-ca", s => s.TokenIssuerCa),
        List("TokenIssuerPin", "--token-issuer-pin", s => s.TokenIssuerPin),
        // The connection string is shown redacted (no password) by config show.
        Text("Store", "--store", s => s.Store is null ? null : MutualAuth.Storage.PostgreSql.PostgresDatabase.Redact(s.Store)),
        Text("NodeName", "--node-name", s => s.NodeName),
    ]);

    private static SettingKey Text(string name, string flag, Func<ServeSettings, object?> read) => SettingKey.Of(name, flag, SettingKind.Text, read);

    private static SettingKey List(string name, string flag, Func<ServeSettings, object?> read) => SettingKey.Of(name, flag, SettingKind.List, read);

    private static SettingKey Boolean(string name, string flag, Func<ServeSettings, object?> read) => SettingKey.Of(name, flag, SettingKind.Boolean, read);
}
