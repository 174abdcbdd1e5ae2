using System.Text.Json;
using MutualAuth.Authentication;

namespace MutualAuth.Tokens;

/// <summary>
/// Validates <c>private_key_jwt</c> client assertions (RFC 7523 §3 with draft-ietf-oauth-rfc7523bis): <c>typ</c> absent
/// or <c>client-authentication+jwt</c>, an algorithm of the registration, a registered key, <c>iss</c> = <c>sub</c> =
/// client_id, <c>aud</c> exactly our issuer identifier as one string, a short <c>exp</c>, and the <c>jti</c> used once.
/// </summary>
internal sealed class ClientAssertionValidator(string issuer, SingleUse singleUse, TimeProvider time)
{
    private const int MaxLength = 8192;
    private const int MaxJtiLength = 256;
    private static readonly HashSet<string?> Types = new(StringComparer.OrdinalIgnoreCase) { null, TokenNames.ClientAssertionType };

    /// <summary>How far away <c>exp</c> may be.</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The replay scope of a client's assertions.</summary>
    public static string ReplayScope(string clientId) => "client-assertion:" + clientId;

    /// <summary>The client_id an assertion claims (<c>iss</c>), read without trusting it, to look the client up.</summary>
    public static string? ClaimedClient(string? assertion)
    {
        var parsed = CompactJws.Parse(assertion, new JwsRules(JwsAlgorithms.Asymmetric, Types, JwkHeader: false, MaxLength));
        return parsed.IsValid ? parsed.Value!.String("iss") : null;
    }

    /// <summary>Validates <paramref name="assertion"/> for <paramref name="client"/>.</summary>
    public async ValueTask<ReasonCode> ValidateAsync(string? assertion, ClientRegistration client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.Method != ClientAuthenticationMethod.PrivateKeyJwt)
        {
            return TokenReasons.WrongClientAuthentication;
        }

        var allowed = new HashSet<string>(client.Algorithms.Where(JwsAlgorithms.Asymmetric.Contains), StringComparer.Ordinal);
        var parsed = CompactJws.Parse(assertion, new JwsRules(allowed, Types, JwkHeader: false, MaxLength));
        if (!parsed.IsValid)
        {
            return parsed.Reason;
        }

        var jws = parsed.Value!;
        var signature = await JwsVerifier.VerifyAsync(jws, client.Keys, requiredType: null).ConfigureAwait(false);
        if (signature != ReasonCode.Ok)
        {
            return signature;
        }

        var claims = CheckClaims(jws, client.ClientId);
        if (claims != ReasonCode.Ok)
        {
            return claims;
        }

        var accepted = await singleUse(ReplayScope(client.ClientId), jws.String("jti")!, jws.Time("exp")!.Value + ClockSkew, cancellationToken)
            .ConfigureAwait(false);
        return accepted ? ReasonCode.Ok : TokenReasons.ReplayedJti;
    }

    private ReasonCode CheckClaims(CompactJws jws, string clientId)
    {
        var iss = jws.String("iss");
        var sub = jws.String("sub");
        var exp = jws.Time("exp");
        var jti = jws.String("jti");
        if (iss is null || sub is null || exp is null || jti is not { Length: > 0 and <= MaxJtiLength })
        {
            return TokenReasons.MissingClaim;
        }

        if (!string.Equals(iss, clientId, StringComparison.Ordinal))
        {
            return TokenReasons.WrongIssuer;
        }

        if (!string.Equals(sub, clientId, StringComparison.Ordinal))
        {
            return TokenReasons.WrongSubject;
        }

        // rfc7523bis §4: the audience is the issuer identifier as a single string: not an array, not the token endpoint.
        if (!jws.Payload.TryGetProperty("aud", out var aud) || aud.ValueKind != JsonValueKind.String
            || !string.Equals(aud.GetString(), issuer, StringComparison.Ordinal))
        {
            return TokenReasons.WrongAudience;
        }

        var now = time.GetUtcNow();
        if (exp.Value <= now - ClockSkew)
        {
            return TokenReasons.Expired;
        }

        if (exp.Value > now + MaxLifetime + ClockSkew)
        {
            return TokenReasons.LifetimeTooLong;
        }

        if (jws.Time("nbf") is { } nbf && nbf > now + ClockSkew || jws.Time("iat") is { } iat && iat > now + ClockSkew)
        {
            return TokenReasons.NotYetValid;
        }

        return ReasonCode.Ok;
    }
}
