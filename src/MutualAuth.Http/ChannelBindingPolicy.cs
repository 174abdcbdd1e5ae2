namespace MutualAuth.Http;

/// <summary>Whether a SCRAM client binds the exchange to the TLS connection (-PLUS mechanisms, RFC 5802 §6).</summary>
public enum ChannelBindingPolicy
{
    /// <summary>Use -PLUS when the server offers it and the server certificate defines a hash.</summary>
    Preferred,

    /// <summary>Refuse to authenticate unless a -PLUS mechanism can be used.</summary>
    Required,

    /// <summary>Never bind.</summary>
    Disabled,
}
