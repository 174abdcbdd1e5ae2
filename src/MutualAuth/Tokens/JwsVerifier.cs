using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MutualAuth.Authentication;

namespace MutualAuth.Tokens;

/// <summary>
/// Verifies the signature of a <see cref="CompactJws"/> with Microsoft.IdentityModel against pinned keys only, with
/// <c>ValidAlgorithms</c> set to the one algorithm the parser accepted. The claims are checked by the callers with
/// their <see cref="TimeProvider"/>, so the handler checks only the signature (and <c>typ</c> when one is required).
/// </summary>
internal static class JwsVerifier
{
    private static readonly JsonWebTokenHandler Handler = new() { MaximumTokenSizeInBytes = 16 * 1024 };

    /// <summary>Whether one of <paramref name="keys"/> verifies <paramref name="jws"/>.</summary>
    /// <param name="jws">The parsed token.</param>
    /// <param name="keys">The pinned keys; a key whose algorithm does not fit is skipped.</param>
    /// <param name="requiredType">The <c>typ</c> the token must carry, or null when it may be absent.</param>
    public static async ValueTask<ReasonCode> VerifyAsync(CompactJws jws, IEnumerable<PublicJwk> keys, string? requiredType)
    {
        var candidates = keys.Where(k => k.Fits(jws.Algorithm) && (jws.KeyId is null || k.KeyId is null || k.KeyId == jws.KeyId))
            .Select(k => k.Key).ToList();
        if (candidates.Count == 0)
        {
            return TokenReasons.BadSignature;
        }

        var parameters = new TokenValidationParameters
        {
            ValidAlgorithms = [jws.Algorithm],
            ValidTypes = requiredType is null ? null : [requiredType],
            IssuerSigningKeys = candidates,
            TryAllIssuerSigningKeys = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = false,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            SaveSigninToken = false,
        };
        var result = await Handler.ValidateTokenAsync(jws.Token, parameters).ConfigureAwait(false);
        return result.IsValid ? ReasonCode.Ok : TokenReasons.BadSignature;
    }
}
