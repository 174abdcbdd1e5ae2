using System.Text.Json;
using MutualAuth.Authentication;

namespace MutualAuth.Tokens;

/// <summary>
/// Validates RFC 9068 access tokens from the trusted issuers: <c>typ</c> <c>at+jwt</c>, <c>iss</c> one of them, an
/// algorithm and a key of that issuer's set, <c>aud</c>, <c>exp</c>, and well-formed <c>cnf</c>. Whether the binding holds
/// for the request is <see cref="TokenBinding"/>'s job.
/// </summary>
/// <param name="issuers">The issuers whose tokens are accepted; an <c>iss</c> not among them is refused before any key is looked up.</param>
/// <param name="audience">Our resource identifier; <c>aud</c> must be it or an array holding it.</param>
/// <param name="time">The clock.</param>
internal sealed class AccessTokenValidator(IReadOnlyList<TrustedIssuer> issuers, string audience, TimeProvider time)
{
    /// <summary>Accepts the tokens of one issuer with pinned keys (current and the overlap of the previous one).</summary>
    public AccessTokenValidator(string issuer, string audience, Func<IReadOnlyList<PublicJwk>> keys, TimeProvider time)
        : this([TrustedIssuer.Pinned(issuer, keys)], audience, time)
    {
    }

    private const int MaxScopes = 64;
    private static readonly HashSet<string?> Types = new(StringComparer.OrdinalIgnoreCase) { TokenNames.AccessTokenType, "application/" + TokenNames.AccessTokenType };

    /// <summary>Tokens longer than this are refused before parsing.</summary>
    public int MaxLength { get; init; } = 8192;

    public IReadOnlySet<string> Algorithms { get; init; } = JwsAlgorithms.Asymmetric;

    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    public async ValueTask<TokenResult<AccessToken>> ValidateAsync(string? token, CancellationToken cancellationToken = default)
    {
        var parsed = CompactJws.Parse(token, new JwsRules(Algorithms, Types, JwkHeader: false, MaxLength));
        if (!parsed.IsValid)
        {
            return parsed.Reason;
        }

        var jws = parsed.Value!;
        // The unverified iss only chooses whose keys to try: a name we do not trust never causes a key look-up or fetch.
        var trusted = issuers.FirstOrDefault(i => string.Equals(i.Issuer, jws.String("iss"), StringComparison.Ordinal));
        if (trusted is null)
        {
            return TokenReasons.WrongIssuer;
        }

        var keys = await trusted.Keys(jws.KeyId, cancellationToken).ConfigureAwait(false);
        if (keys.Count == 0)
        {
            return TokenReasons.IssuerUnavailable;
        }

        if (jws.KeyId is { } kid && !keys.Any(k => k.KeyId is null || k.KeyId == kid))
        {
            return TokenReasons.UnknownKey;
        }

        var signature = await JwsVerifier.VerifyAsync(jws, keys, requiredType: null).ConfigureAwait(false);
        if (signature != ReasonCode.Ok)
        {
            return signature;
        }

        var iss = jws.String("iss");
        var sub = jws.String("sub");
        var clientId = jws.String("client_id");
        var jti = jws.String("jti");
        var exp = jws.Time("exp");
        if (iss is null || sub is null || clientId is null || jti is null || exp is null || jws.Time("iat") is null)
        {
            return TokenReasons.MissingClaim;
        }

        if (!HasAudience(jws.Payload))
        {
            return TokenReasons.WrongAudience;
        }

        var now = time.GetUtcNow();
        if (exp.Value <= now - ClockSkew)
        {
            return TokenReasons.Expired;
        }

        if (jws.Time("nbf") is { } nbf && nbf > now + ClockSkew)
        {
            return TokenReasons.NotYetValid;
        }

        var confirmation = Confirmation(jws.Payload);
        if (confirmation is null)
        {
            return TokenReasons.MalformedToken;
        }

        var scopes = (jws.String("scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length > MaxScopes)
        {
            return TokenReasons.MalformedToken;
        }

        return TokenResult<AccessToken>.Ok(new AccessToken(iss, sub, clientId, scopes, jti, exp.Value, confirmation));
    }

    private bool HasAudience(JsonElement payload)
    {
        if (!payload.TryGetProperty("aud", out var aud))
        {
            return false;
        }

        return aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString() == audience,
            JsonValueKind.Array => aud.GetArrayLength() <= 16 && aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == audience),
            _ => false,
        };
    }

    // null when cnf is present but not an object of strings; an empty confirmation when absent.
    private static TokenConfirmation? Confirmation(JsonElement payload)
    {
        if (!payload.TryGetProperty("cnf", out var cnf))
        {
            return new TokenConfirmation(null, null);
        }

        if (cnf.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? Member(string name) => cnf.TryGetProperty(name, out var e) ? e.ValueKind == JsonValueKind.String ? e.GetString() : "" : null;
        var jkt = Member(TokenNames.JwkThumbprintClaim);
        var x5t = Member(TokenNames.CertificateThumbprintClaim);
        return jkt == "" || x5t == "" ? null : new TokenConfirmation(jkt, x5t);
    }
}
