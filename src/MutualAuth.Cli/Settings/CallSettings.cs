namespace MutualAuth.Cli.Settings;

/// <summary><c>call</c>'s settings: section <c>Call</c> of mutualauth.json, each key named as its flag in PascalCase.</summary>
/// <remarks>Only how to authenticate and verify the server, and how long to wait for it; the request itself (URL, method, body, headers) stays on the command line.</remarks>
internal sealed record CallSettings
{
    public const string DefaultChannelBinding = "preferred";

    /// <summary>Seconds to open a connection (TCP connect and TLS handshake), as curl's <c>--connect-timeout</c>.</summary>
    public const int DefaultConnectTimeout = 10;

    /// <summary>Seconds for the whole call, as curl's <c>--max-time</c>.</summary>
    public const int DefaultMaxTime = 60;

    public static readonly string[] ChannelBindingModes = ["preferred", "required", "disabled"];

    public string? Identity { get; set; }

    public string? Cert { get; set; }

    public string? Key { get; set; }

    public string[] Ca { get; set; } = [];

    public string[] Pin { get; set; } = [];

    public string? Name { get; set; }

    public string[] Crl { get; set; } = [];

    public string? User { get; set; }

    public string ChannelBinding { get; set; } = DefaultChannelBinding;

    public string? Credential { get; set; }

    public string? KeyId { get; set; }

    public string? PrivateKey { get; set; }

    public string? Card { get; set; }

    public string? PinFile { get; set; }

    public string? PinEnv { get; set; }

    public string? Module { get; set; }

    public int ConnectTimeout { get; set; } = DefaultConnectTimeout;

    public int MaxTime { get; set; } = DefaultMaxTime;

    public string? Client { get; set; }

    public string? Issuer { get; set; }
}
