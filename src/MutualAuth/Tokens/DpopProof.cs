namespace MutualAuth.Tokens;

/// <summary>A DPoP proof that passed every check (RFC 9449 §4.3).</summary>
/// <param name="Thumbprint">The RFC 7638 thumbprint of the proof key: what <c>cnf.jkt</c> binds to.</param>
/// <param name="Jti">The proof's unique identifier (already recorded as used).</param>
/// <param name="IssuedAt">The proof's <c>iat</c>.</param>
internal sealed record DpopProof(string Thumbprint, string Jti, DateTimeOffset IssuedAt);

/// <summary>The request a DPoP proof must match.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="TargetUri">The URI built from the configured public URL and the request path, never from <c>Host</c>.</param>
/// <param name="AccessToken">The access token sent with the proof (resource requests), for <c>ath</c>; null at the token endpoint.</param>
internal sealed record DpopRequest(string Method, Uri TargetUri, string? AccessToken = null);

/// <summary>Limits of DPoP proof validation.</summary>
internal sealed record DpopValidationOptions
{
    /// <summary>The algorithms a proof may use.</summary>
    public IReadOnlySet<string> Algorithms { get; init; } = JwsAlgorithms.Asymmetric;

    /// <summary>How old a proof's <c>iat</c> may be.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How far in the future a proof's <c>iat</c> may be (clock skew).</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Server nonces; when set, a proof without a current nonce is answered with <c>use_dpop_nonce</c>.</summary>
    public DpopNonces? Nonces { get; init; }

    /// <summary>A proof (with an RSA 4096 <c>jwk</c>) is far below this; longer ones are refused before parsing.</summary>
    public int MaxLength { get; init; } = 4096;
}
