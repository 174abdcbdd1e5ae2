namespace MutualAuth.Tokens;

/// <summary>Wire names of OAuth 2.0 tokens both sides use: headers, JOSE types, claims and RFC 6749/9449 error codes.</summary>
internal static class TokenNames
{
    /// <summary>RFC 9449 request header carrying the proof, and the authorization scheme of DPoP-bound tokens.</summary>
    public const string DpopHeader = "DPoP";

    /// <summary>RFC 9449 §8: the server's nonce, sent in token and resource responses.</summary>
    public const string DpopNonceHeader = "DPoP-Nonce";

    public const string BearerScheme = "Bearer";

    public const string DpopProofType = "dpop+jwt";

    /// <summary>RFC 9068 access token type.</summary>
    public const string AccessTokenType = "at+jwt";

    /// <summary>draft-ietf-oauth-rfc7523bis: the explicit type of a client assertion.</summary>
    public const string ClientAssertionType = "client-authentication+jwt";

    /// <summary>RFC 7523 §2.2 <c>client_assertion_type</c>.</summary>
    public const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public const string ClientCredentialsGrant = "client_credentials";

    // RFC 6749 §5.2, RFC 6750 §3.1, RFC 9449 §7.1 and §8.
    public const string InvalidClient = "invalid_client";
    public const string InvalidRequest = "invalid_request";
    public const string InvalidScope = "invalid_scope";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string InvalidDpopProof = "invalid_dpop_proof";
    public const string UseDpopNonce = "use_dpop_nonce";
    public const string InvalidToken = "invalid_token";

    /// <summary>RFC 8705 §3.1 confirmation member of a certificate-bound token.</summary>
    public const string CertificateThumbprintClaim = "x5t#S256";

    /// <summary>RFC 9449 §6.1 confirmation member of a DPoP-bound token.</summary>
    public const string JwkThumbprintClaim = "jkt";

    /// <summary>RFC 8176 <c>amr</c> value for proof of possession.</summary>
    public const string AmrProofOfPossession = "pop";
}
