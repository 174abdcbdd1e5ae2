namespace MutualAuth.Authentication;

/// <summary>
/// The reason codes of HTTP Message Signatures (RFC 9421): one per <c>SignatureVerificationFailure</c>, the RFC 9530
/// <c>Content-Digest</c> checks, and the server's own request checks (nonce, lifetime, body size, replay).
/// </summary>
public static class SignatureReasons
{
    /// <summary>No <c>Signature-Input</c> or <c>Signature</c> field.</summary>
    public static readonly ReasonCode MissingSignature = new("missing-signature");

    /// <summary>A signature field is not well-formed.</summary>
    public static readonly ReasonCode MalformedSignatureFields = new("malformed-signature-fields");

    /// <summary>No signature matches the label, tag and keyid asked for.</summary>
    public static readonly ReasonCode NoMatchingSignature = new("no-matching-signature");

    /// <summary>More than one signature matches.</summary>
    public static readonly ReasonCode AmbiguousSignature = new("ambiguous-signature");

    /// <summary>The selected label has no <c>Signature</c> member.</summary>
    public static readonly ReasonCode SignatureValueMissing = new("signature-value-missing");

    /// <summary>The signature has no <c>keyid</c>.</summary>
    public static readonly ReasonCode MissingKeyId = new("missing-key-id");

    /// <summary>No key is registered under the <c>keyid</c>.</summary>
    public static readonly ReasonCode UnknownKey = new("unknown-key");

    /// <summary><c>alg</c> names another algorithm than the key's.</summary>
    public static readonly ReasonCode AlgorithmMismatch = new("algorithm-mismatch");

    /// <summary>A required component is not covered.</summary>
    public static readonly ReasonCode MissingRequiredComponent = new("missing-required-component");

    /// <summary>No <c>created</c>.</summary>
    public static readonly ReasonCode MissingCreated = new("missing-created");

    /// <summary><c>created</c> is in the future.</summary>
    public static readonly ReasonCode CreatedInFuture = new("created-in-future");

    /// <summary><c>created</c> is too old.</summary>
    public static readonly ReasonCode TooOld = new("too-old");

    /// <summary>No <c>expires</c>.</summary>
    public static readonly ReasonCode MissingExpires = new("missing-expires");

    /// <summary><c>expires</c> has passed.</summary>
    public static readonly ReasonCode Expired = new("expired");

    /// <summary>No <c>nonce</c>.</summary>
    public static readonly ReasonCode MissingNonce = new("missing-nonce");

    /// <summary>A covered component is listed twice.</summary>
    public static readonly ReasonCode DuplicateComponent = new("duplicate-component");

    /// <summary>A covered component is absent from the message.</summary>
    public static readonly ReasonCode MissingComponent = new("missing-component");

    /// <summary>The signature base cannot be built.</summary>
    public static readonly ReasonCode InvalidSignatureBase = new("invalid-signature-base");

    /// <summary>The signature does not verify.</summary>
    public static readonly ReasonCode BadSignature = new("bad-signature");

    /// <summary>The nonce or keyid is too long.</summary>
    public static readonly ReasonCode NonceTooLong = new("nonce-too-long");

    /// <summary><c>expires</c> is further from <c>created</c> than allowed.</summary>
    public static readonly ReasonCode LifetimeTooLong = new("lifetime-too-long");

    /// <summary>The signed body is over the size limit.</summary>
    public static readonly ReasonCode BodyTooLarge = new("body-too-large");

    /// <summary>The body has no <c>Content-Digest</c>.</summary>
    public static readonly ReasonCode ContentDigestMissing = new("content-digest-missing");

    /// <summary>The <c>Content-Digest</c> is not well-formed.</summary>
    public static readonly ReasonCode ContentDigestMalformed = new("content-digest-malformed");

    /// <summary>The <c>Content-Digest</c> names no known algorithm.</summary>
    public static readonly ReasonCode ContentDigestNoKnownAlgorithm = new("content-digest-no-known-algorithm");

    /// <summary>The <c>Content-Digest</c> does not match the body.</summary>
    public static readonly ReasonCode ContentDigestMismatch = new("content-digest-mismatch");

    /// <summary>The nonce was already used.</summary>
    public static readonly ReasonCode ReplayedNonce = new("replayed-nonce");

    /// <summary>No response key can be derived from the client's HMAC key.</summary>
    public static readonly ReasonCode ResponseKeyUnavailable = new("response-key-unavailable");

    /// <summary>Client side: the server answered an unsigned 401 or 4xx, refusing the request before accepting it.</summary>
    public static readonly ReasonCode RefusedByServer = new("refused-by-server");

    /// <summary>Client side: the server's response signature does not verify.</summary>
    public static readonly ReasonCode InvalidSignature = new("invalid-signature");

    /// <summary>Every code of HTTP Message Signatures, <see cref="ReasonCode.Ok"/> first.</summary>
    public static readonly IReadOnlyList<ReasonCode> All =
    [
        ReasonCode.Ok, MissingSignature, MalformedSignatureFields, NoMatchingSignature, AmbiguousSignature, SignatureValueMissing,
        MissingKeyId, UnknownKey, AlgorithmMismatch, MissingRequiredComponent, MissingCreated, CreatedInFuture, TooOld,
        MissingExpires, Expired, MissingNonce, DuplicateComponent, MissingComponent, InvalidSignatureBase, BadSignature,
        NonceTooLong, LifetimeTooLong, BodyTooLarge, ContentDigestMissing, ContentDigestMalformed, ContentDigestNoKnownAlgorithm,
        ContentDigestMismatch, ReplayedNonce, ResponseKeyUnavailable, RefusedByServer, InvalidSignature,
    ];
}
