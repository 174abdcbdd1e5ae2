namespace MutualAuth.Authentication;

/// <summary>
/// The reason codes of OAuth 2.0 tokens: JWS checks shared by DPoP proofs (RFC 9449), client assertions (RFC 7523) and
/// access tokens (RFC 9068), then the checks of each.
/// </summary>
public static class TokenReasons
{
    /// <summary>The token is over the size limit (checked before parsing).</summary>
    public static readonly ReasonCode TokenTooLarge = new("token-too-large");

    /// <summary>Not a compact JWS of three base64url parts with JSON objects.</summary>
    public static readonly ReasonCode MalformedToken = new("malformed-token");

    /// <summary>A JSON object has the same member twice.</summary>
    public static readonly ReasonCode DuplicateMember = new("duplicate-member");

    /// <summary><c>alg</c> is <c>none</c>, symmetric, or not allowed here.</summary>
    public static readonly ReasonCode AlgorithmNotAllowed = new("algorithm-not-allowed");

    /// <summary><c>crit</c> is present: no extension is understood.</summary>
    public static readonly ReasonCode UnknownCriticalHeader = new("unknown-critical-header");

    /// <summary>The header names a key by URL or certificate (<c>jku</c>, <c>x5u</c>, <c>x5c</c>…), which is never followed.</summary>
    public static readonly ReasonCode ForbiddenHeader = new("forbidden-header");

    /// <summary><c>kid</c> is not a short printable string.</summary>
    public static readonly ReasonCode InvalidKeyId = new("invalid-key-id");

    /// <summary><c>typ</c> is not the one this token must have.</summary>
    public static readonly ReasonCode WrongType = new("wrong-type");

    /// <summary>The <c>jwk</c> header is absent, not a supported public key, or too weak.</summary>
    public static readonly ReasonCode InvalidJwk = new("invalid-jwk");

    /// <summary>The <c>jwk</c> header carries private key members.</summary>
    public static readonly ReasonCode PrivateJwk = new("private-jwk");

    /// <summary>No pinned key verifies the signature.</summary>
    public static readonly ReasonCode BadSignature = new("bad-signature");

    /// <summary>A required claim is absent or has the wrong type.</summary>
    public static readonly ReasonCode MissingClaim = new("missing-claim");

    /// <summary><c>iss</c> is not the expected issuer.</summary>
    public static readonly ReasonCode WrongIssuer = new("wrong-issuer");

    /// <summary><c>aud</c> is not exactly the expected audience as one string.</summary>
    public static readonly ReasonCode WrongAudience = new("wrong-audience");

    /// <summary><c>sub</c> is not the client (client assertions: <c>iss</c> = <c>sub</c> = client_id).</summary>
    public static readonly ReasonCode WrongSubject = new("wrong-subject");

    /// <summary><c>exp</c> has passed.</summary>
    public static readonly ReasonCode Expired = new("expired");

    /// <summary><c>nbf</c> or <c>iat</c> is in the future.</summary>
    public static readonly ReasonCode NotYetValid = new("not-yet-valid");

    /// <summary><c>exp</c> is further away than allowed.</summary>
    public static readonly ReasonCode LifetimeTooLong = new("lifetime-too-long");

    /// <summary><c>iat</c> is outside the accepted window.</summary>
    public static readonly ReasonCode IatOutOfWindow = new("iat-out-of-window");

    /// <summary>The <c>jti</c> was already used.</summary>
    public static readonly ReasonCode ReplayedJti = new("replayed-jti");

    /// <summary>The proof's <c>htm</c> is not the request method.</summary>
    public static readonly ReasonCode HtmMismatch = new("htm-mismatch");

    /// <summary>The proof's <c>htu</c> is not the request URI after normalisation.</summary>
    public static readonly ReasonCode HtuMismatch = new("htu-mismatch");

    /// <summary>The proof has no server nonce, or an old or unknown one: answered with <c>use_dpop_nonce</c>.</summary>
    public static readonly ReasonCode NonceRequired = new("nonce-required");

    /// <summary>The proof has no <c>ath</c> although it comes with an access token.</summary>
    public static readonly ReasonCode AthMissing = new("ath-missing");

    /// <summary>The proof's <c>ath</c> is not the hash of the access token.</summary>
    public static readonly ReasonCode AthMismatch = new("ath-mismatch");

    /// <summary>The token's <c>cnf.jkt</c> is not the thumbprint of the proof key.</summary>
    public static readonly ReasonCode JktMismatch = new("jkt-mismatch");

    /// <summary>No DPoP proof where one is required.</summary>
    public static readonly ReasonCode MissingProof = new("missing-proof");

    /// <summary>More than one <c>DPoP</c> header.</summary>
    public static readonly ReasonCode MultipleProofs = new("multiple-proofs");

    /// <summary>A sender-constrained token presented as a bearer token (downgrade).</summary>
    public static readonly ReasonCode BoundTokenAsBearer = new("bound-token-as-bearer");

    /// <summary>A token without a binding where binding is required.</summary>
    public static readonly ReasonCode UnboundToken = new("unbound-token");

    /// <summary>The token's <c>cnf.x5t#S256</c> is not the TLS client certificate's thumbprint.</summary>
    public static readonly ReasonCode CertificateMismatch = new("certificate-mismatch");

    /// <summary>The client is not registered.</summary>
    public static readonly ReasonCode UnknownClient = new("unknown-client");

    /// <summary>The client authenticated with another method than its registration names.</summary>
    public static readonly ReasonCode WrongClientAuthentication = new("wrong-client-authentication");

    /// <summary>The grant type is not <c>client_credentials</c>.</summary>
    public static readonly ReasonCode UnsupportedGrantType = new("unsupported-grant-type");

    /// <summary>A requested scope is not registered for the client.</summary>
    public static readonly ReasonCode InvalidScope = new("invalid-scope");

    /// <summary>The token request is not well-formed (repeated or missing parameters).</summary>
    public static readonly ReasonCode InvalidRequest = new("invalid-request");

    /// <summary>Client side: the resource's response carries no <c>fapi-2-response</c> signature.</summary>
    public static readonly ReasonCode UnsignedResponse = new("unsigned-response");

    /// <summary>Client side: the response is signed by a key the authorization server does not publish.</summary>
    public static readonly ReasonCode UnknownResponseKey = new("unknown-response-key");

    /// <summary>Client side: the response signature or digest does not verify for the request sent (another request's answer, or altered).</summary>
    public static readonly ReasonCode InvalidResponseSignature = new("invalid-response-signature");

    /// <summary>Client side: the resource answered an unsigned 401 or 403, refusing the token before accepting it.</summary>
    public static readonly ReasonCode RefusedByResource = new("refused-by-resource");

    /// <summary>The token names a <c>kid</c> its issuer does not publish, also after the JWKS was read again.</summary>
    public static readonly ReasonCode UnknownKey = new("unknown-key");

    /// <summary>The issuer's metadata or JWKS could not be read or did not hold (RFC 8414 §3.3 <c>issuer</c>, sizes, https): no key to verify with.</summary>
    public static readonly ReasonCode IssuerUnavailable = new("issuer-unavailable");

    /// <summary>Every code of tokens, <see cref="ReasonCode.Ok"/> first.</summary>
    public static readonly IReadOnlyList<ReasonCode> All =
    [
        ReasonCode.Ok, TokenTooLarge, MalformedToken, DuplicateMember, AlgorithmNotAllowed, UnknownCriticalHeader,
        ForbiddenHeader, InvalidKeyId, WrongType, InvalidJwk, PrivateJwk, BadSignature, MissingClaim, WrongIssuer,
        WrongAudience, WrongSubject, Expired, NotYetValid, LifetimeTooLong, IatOutOfWindow, ReplayedJti, HtmMismatch,
        HtuMismatch, NonceRequired, AthMissing, AthMismatch, JktMismatch, MissingProof, MultipleProofs,
        BoundTokenAsBearer, UnboundToken, CertificateMismatch, UnknownClient, WrongClientAuthentication,
        UnsupportedGrantType, InvalidScope, InvalidRequest, UnsignedResponse, UnknownResponseKey, InvalidResponseSignature,
        RefusedByResource, UnknownKey, IssuerUnavailable,
    ];
}
