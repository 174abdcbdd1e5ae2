namespace MutualAuth.Authentication;

/// <summary>
/// The reason codes of SCRAM: the RFC 5802 §7 <c>e=</c> server errors the server sends, and the server's own refusals
/// that never go on the wire as <c>e=</c> (an unknown session, a rate limit, too many exchanges).
/// </summary>
public static class ScramReasons
{
    /// <summary>RFC 5802 <c>e=invalid-encoding</c>: a message is not well-formed.</summary>
    public static readonly ReasonCode InvalidEncoding = new("invalid-encoding");

    /// <summary>RFC 5802 <c>e=extensions-not-supported</c>: a mandatory extension was sent.</summary>
    public static readonly ReasonCode ExtensionsNotSupported = new("extensions-not-supported");

    /// <summary>RFC 5802 <c>e=invalid-proof</c>: the client proof does not verify.</summary>
    public static readonly ReasonCode InvalidProof = new("invalid-proof");

    /// <summary>RFC 5802 <c>e=channel-bindings-dont-match</c>: channel binding missing, downgraded or different.</summary>
    public static readonly ReasonCode ChannelBindingsDontMatch = new("channel-bindings-dont-match");

    /// <summary>RFC 5802 <c>e=invalid-username-encoding</c>: SASLprep refuses the user name.</summary>
    public static readonly ReasonCode InvalidUsernameEncoding = new("invalid-username-encoding");

    /// <summary>RFC 5802 <c>e=other-error</c>: e.g. the nonce does not match.</summary>
    public static readonly ReasonCode OtherError = new("other-error");

    /// <summary>The client-final names a <c>sid</c> that is unknown, used or expired.</summary>
    public static readonly ReasonCode UnknownSession = new("unknown-session");

    /// <summary>Too many failed attempts for the user or address (429).</summary>
    public static readonly ReasonCode RateLimited = new("rate-limited");

    /// <summary>Too many exchanges in progress (503).</summary>
    public static readonly ReasonCode Busy = new("busy");

    /// <summary>Client side: the server's nonce does not extend ours.</summary>
    public static readonly ReasonCode NonceMismatch = new("nonce-mismatch");

    /// <summary>Client side: the server asked for an iteration count outside the client's bounds.</summary>
    public static readonly ReasonCode IterationCountOutOfRange = new("iteration-count-out-of-range");

    /// <summary>Client side: the server's ServerSignature (<c>v=</c>) does not verify: it does not know the verifier.</summary>
    public static readonly ReasonCode InvalidServerSignature = new("invalid-server-signature");

    /// <summary>Client side: a message arrived out of turn.</summary>
    public static readonly ReasonCode InvalidState = new("invalid-state");

    /// <summary>Client side: the server sent an error outside RFC 5802's list.</summary>
    public static readonly ReasonCode ServerError = new("server-error");

    /// <summary>Client side: the server refused without a SCRAM error (a 401 or 403 with no <c>e=</c>).</summary>
    public static readonly ReasonCode RefusedByServer = new("refused-by-server");

    /// <summary>Every code of SCRAM, <see cref="ReasonCode.Ok"/> first.</summary>
    public static readonly IReadOnlyList<ReasonCode> All =
    [
        ReasonCode.Ok, InvalidEncoding, ExtensionsNotSupported, InvalidProof, ChannelBindingsDontMatch, InvalidUsernameEncoding,
        OtherError, UnknownSession, RateLimited, Busy, NonceMismatch, IterationCountOutOfRange, InvalidServerSignature,
        InvalidState, ServerError, RefusedByServer,
    ];
}
