namespace MutualAuth.Cli.Settings;

/// <summary><c>serve</c>'s settings: section <c>Serve</c> of mutualauth.json, each key named as its flag in PascalCase.</summary>
internal sealed record ServeSettings
{
    public const string DefaultListen = "127.0.0.1:8443";
    public const string DefaultRevocation = "leaf";
    public const string DefaultIdentityHeaderPrefix = "X-MutualAuth-";
    public const int DefaultScramSessionMinutes = 15;
    public const string DefaultLogLevel = "information";

    public static readonly string[] RevocationModes = ["leaf", "chain", "none"];
    public static readonly string[] LogLevels = ["trace", "debug", "information", "warning", "error"];

    public string Listen { get; set; } = DefaultListen;

    public string Identity { get; set; } = FirstRun.ServerIdentity;

    public string? Cert { get; set; }

    public string? Key { get; set; }

    public string? PinFile { get; set; }

    public string? PinEnv { get; set; }

    public string? Module { get; set; }

    public string[] Trust { get; set; } = [];

    public bool TrustSystemRoots { get; set; }

    public string[] Crl { get; set; } = [];

    public string Revocation { get; set; } = DefaultRevocation;

    public bool AllowMissingCrl { get; set; }

    public string[] AllowCn { get; set; } = [];

    public string[] AllowOu { get; set; } = [];

    public string[] AllowDns { get; set; } = [];

    public string[] AllowUri { get; set; } = [];

    public string? Upstream { get; set; }

    public string IdentityHeaderPrefix { get; set; } = DefaultIdentityHeaderPrefix;

    public string[] Route { get; set; } = [];

    public bool ScramRequireChannelBinding { get; set; }

    public int ScramSessionMinutes { get; set; } = DefaultScramSessionMinutes;

    public string? WebAuthnOrigin { get; set; }

    public string? WebAuthnRpId { get; set; }

    public string LogLevel { get; set; } = DefaultLogLevel;

    public bool AuditSync { get; set; }

    public bool ReplaySync { get; set; }

    public string? PublicUrl { get; set; }

    /// <summary>External OAuth authorization servers whose access tokens token routes accept.</summary>
    public string[] TokenIssuer { get; set; } = [];

    /// <summary>CA certificates (PEM files) the token issuers' TLS certificates must chain to.</summary>
    public string[] TokenIssuerCa { get; set; } = [];

    /// <summary>SPKI pins (sha256/BASE64) of the token issuers' TLS keys: in addition to the CA, or alone without one.</summary>
    public string[] TokenIssuerPin { get; set; } = [];

    /// <summary>A PostgreSQL connection string shared by several nodes; null for the data folder's SQLite.</summary>
    public string? Store { get; set; }

    /// <summary>This node's name in the shared audit table; null for the host name.</summary>
    public string? NodeName { get; set; }
}
