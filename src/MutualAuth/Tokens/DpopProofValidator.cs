using System.Security.Cryptography;
using System.Text;
using MutualAuth.Authentication;

namespace MutualAuth.Tokens;

/// <summary>
/// Validates DPoP proofs (RFC 9449 §4.3): one header, <c>typ</c> <c>dpop+jwt</c>, an asymmetric <c>alg</c>, a public
/// <c>jwk</c> that verifies the signature, <c>htm</c>/<c>htu</c> against the request, <c>iat</c> within the window both
/// ways, the server nonce, <c>ath</c>, and the <c>jti</c> used once per key.
/// </summary>
internal sealed class DpopProofValidator(DpopValidationOptions options, SingleUse singleUse, TimeProvider time)
{
    private const int MaxJtiLength = 256;

    private readonly JwsRules _rules = new(options.Algorithms, new HashSet<string?> { TokenNames.DpopProofType }, JwkHeader: true, options.MaxLength);

    /// <summary>The replay scope of a proof key: a <c>jti</c> is unique per key (RFC 9449 §11.1).</summary>
    public static string ReplayScope(string thumbprint) => "dpop:" + thumbprint;

    /// <summary>The <c>ath</c> of an access token: base64url(SHA-256(ASCII)).</summary>
    public static string AccessTokenHash(string accessToken) =>
        Base64UrlText.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    /// <summary>Validates the <c>DPoP</c> header values of one request.</summary>
    /// <param name="headerValues">Every <c>DPoP</c> header value received; exactly one is allowed.</param>
    /// <param name="request">The request the proof must match.</param>
    /// <param name="cancellationToken">Cancels the replay store operation.</param>
    public async ValueTask<TokenResult<DpopProof>> ValidateAsync(IReadOnlyList<string?> headerValues, DpopRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(headerValues);
        ArgumentNullException.ThrowIfNull(request);
        if (headerValues.Count == 0)
        {
            return TokenReasons.MissingProof;
        }

        // A comma means two header lines joined into one (RFC 9110 §5.3); a JWS never contains one.
        if (headerValues.Count > 1 || headerValues[0]?.Contains(',', StringComparison.Ordinal) == true)
        {
            return TokenReasons.MultipleProofs;
        }

        var parsed = CompactJws.Parse(headerValues[0]?.Trim(), _rules);
        if (!parsed.IsValid)
        {
            return parsed.Reason;
        }

        var jws = parsed.Value!;
        if (!jws.Header.TryGetProperty("jwk", out var jwkElement))
        {
            return TokenReasons.InvalidJwk;
        }

        var jwk = PublicJwk.Parse(jwkElement);
        if (!jwk.IsValid)
        {
            return jwk.Reason;
        }

        if (!jwk.Value!.Fits(jws.Algorithm))
        {
            return TokenReasons.AlgorithmNotAllowed;
        }

        var signature = await JwsVerifier.VerifyAsync(jws, [jwk.Value], TokenNames.DpopProofType).ConfigureAwait(false);
        if (signature != ReasonCode.Ok)
        {
            return signature;
        }

        var claims = CheckClaims(jws, request);
        if (claims != ReasonCode.Ok)
        {
            return claims;
        }

        var jti = jws.String("jti")!;
        var issuedAt = jws.Time("iat")!.Value;
        var expires = issuedAt + options.MaxAge + options.ClockSkew;
        if (!await singleUse(ReplayScope(jwk.Value.Thumbprint), jti, expires, cancellationToken).ConfigureAwait(false))
        {
            return TokenReasons.ReplayedJti;
        }

        return TokenResult<DpopProof>.Ok(new DpopProof(jwk.Value.Thumbprint, jti, issuedAt));
    }

    private ReasonCode CheckClaims(CompactJws jws, DpopRequest request)
    {
        var jti = jws.String("jti");
        var htm = jws.String("htm");
        var htu = jws.String("htu");
        var iat = jws.Time("iat");
        if (jti is not { Length: > 0 and <= MaxJtiLength } || htm is null || htu is null || iat is null)
        {
            return TokenReasons.MissingClaim;
        }

        // RFC 9110 §9.1: methods are case-sensitive.
        if (!string.Equals(htm, request.Method, StringComparison.Ordinal))
        {
            return TokenReasons.HtmMismatch;
        }

        var expected = HttpTargetUri.Normalize(request.TargetUri);
        if (expected is null || !string.Equals(HttpTargetUri.Normalize(htu), expected, StringComparison.Ordinal))
        {
            return TokenReasons.HtuMismatch;
        }

        var now = time.GetUtcNow();
        if (iat.Value > now + options.ClockSkew || iat.Value < now - options.MaxAge)
        {
            return TokenReasons.IatOutOfWindow;
        }

        if (options.Nonces is { } nonces && !nonces.IsValid(jws.String("nonce")))
        {
            return TokenReasons.NonceRequired;
        }

        if (request.AccessToken is { } accessToken)
        {
            if (jws.String("ath") is not { } ath)
            {
                return TokenReasons.AthMissing;
            }

            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ath), Encoding.ASCII.GetBytes(AccessTokenHash(accessToken))))
            {
                return TokenReasons.AthMismatch;
            }
        }

        return ReasonCode.Ok;
    }
}
