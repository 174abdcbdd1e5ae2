using MutualAuth.Authentication;
using MutualAuth.Scram;

namespace MutualAuth.Http;

/// <summary>Reason codes of SCRAM failures a client reports.</summary>
internal static class ScramClientReasons
{
    /// <summary>The server refused without a SCRAM <c>e=</c> value, or answered with an unexpected status.</summary>
    public static readonly ReasonCode RefusedByServer = new("refused-by-server");

    /// <summary>The server limits failed logins (429).</summary>
    public static readonly ReasonCode RateLimited = new("rate-limited");

    /// <summary>The code of a failure found by this client; RFC 5802 §7 <c>e=</c> names where one exists.</summary>
    public static ReasonCode For(ScramError error) => new(error switch
    {
        ScramError.InvalidEncoding => "invalid-encoding",
        ScramError.ExtensionsNotSupported => "extensions-not-supported",
        ScramError.NonceMismatch => "nonce-mismatch",
        ScramError.IterationCountOutOfRange => "iteration-count-out-of-range",
        ScramError.InvalidProof => "invalid-proof",
        ScramError.InvalidServerSignature => "invalid-server-signature",
        ScramError.ChannelBindingMismatch => "channel-bindings-dont-match",
        ScramError.UnsupportedCharacters => "invalid-username-encoding",
        ScramError.InvalidState => "invalid-state",
        _ => "server-error",
    });
}
