using System.Text.Json;
using MutualAuth.Authentication;

namespace MutualAuth.Tokens;

/// <summary>
/// A JWS compact serialization (RFC 7515 §7.1) checked before any signature work: size, shape, strict JSON, and the
/// header members we allow. The signature is verified afterwards by <see cref="JwsVerifier"/> with pinned keys.
/// </summary>
internal sealed class CompactJws
{
    private const int MaxKeyIdLength = 128;

    // Members that point at keys or certificates elsewhere: never followed, so never accepted (kid/jku/x5u injection).
    private static readonly string[] ForbiddenMembers = ["jku", "x5u", "x5c", "x5t", "x5t#S256"];

    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 8, AllowDuplicateProperties = false };
    private static readonly JsonDocumentOptions Lenient = new() { MaxDepth = 8 };

    private CompactJws(string token, JsonElement header, JsonElement payload, string alg, string? kid)
    {
        Token = token;
        Header = header;
        Payload = payload;
        Algorithm = alg;
        KeyId = kid;
    }

    public string Token { get; }

    public JsonElement Header { get; }

    public JsonElement Payload { get; }

    public string Algorithm { get; }

    public string? KeyId { get; }

    /// <summary>Parses <paramref name="token"/> under <paramref name="rules"/>; refuses everything the rules do not allow.</summary>
    public static TokenResult<CompactJws> Parse(string? token, JwsRules rules)
    {
        if (string.IsNullOrEmpty(token))
        {
            return TokenReasons.MalformedToken;
        }

        if (token.Length > rules.MaxLength)
        {
            return TokenReasons.TokenTooLarge;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || parts[2].Length == 0)
        {
            return TokenReasons.MalformedToken;
        }

        var header = Json(parts[0], out var headerReason);
        var payload = Json(parts[1], out var payloadReason);
        if (header is not { } h || payload is not { } p || Base64UrlText.Decode(parts[2]) is null)
        {
            return header is null ? headerReason : payload is null ? payloadReason : TokenReasons.MalformedToken;
        }

        if (!h.TryGetProperty("alg", out var algElement) || algElement.ValueKind != JsonValueKind.String
            || !rules.Algorithms.Contains(algElement.GetString()!) || !JwsAlgorithms.Asymmetric.Contains(algElement.GetString()!))
        {
            return TokenReasons.AlgorithmNotAllowed;
        }

        if (h.TryGetProperty("crit", out _))
        {
            return TokenReasons.UnknownCriticalHeader;
        }

        if (ForbiddenMembers.Any(m => h.TryGetProperty(m, out _)) || (!rules.JwkHeader && h.TryGetProperty("jwk", out _)))
        {
            return TokenReasons.ForbiddenHeader;
        }

        string? kid = null;
        if (h.TryGetProperty("kid", out var kidElement))
        {
            kid = kidElement.ValueKind == JsonValueKind.String ? kidElement.GetString() : null;
            if (kid is null || kid.Length is 0 or > MaxKeyIdLength || kid.Any(c => c is < '!' or > '~'))
            {
                return TokenReasons.InvalidKeyId;
            }
        }

        string? typ = null;
        if (h.TryGetProperty("typ", out var typElement))
        {
            typ = typElement.ValueKind == JsonValueKind.String ? typElement.GetString() : "";
        }

        if (!rules.Types.Any(t => string.Equals(t, typ, StringComparison.OrdinalIgnoreCase)))
        {
            return TokenReasons.WrongType;
        }

        return TokenResult<CompactJws>.Ok(new CompactJws(token, h, p, algElement.GetString()!, kid));
    }

    /// <summary>A string claim, or null when absent or not a string.</summary>
    public string? String(string name) =>
        Payload.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    /// <summary>A NumericDate claim (RFC 7519 §2), or null when absent or not an integer in range.</summary>
    public DateTimeOffset? Time(string name) =>
        Payload.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var seconds)
            && seconds is >= 0 and < 253402300800 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static JsonElement? Json(string part, out ReasonCode reason)
    {
        reason = TokenReasons.MalformedToken;
        if (Base64UrlText.Decode(part) is not { Length: > 0 } bytes)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, Strict);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            // Well-formed once duplicates are allowed: the only fault is a repeated member (RFC 7515 §5.2 lets us refuse).
            reason = WellFormed(bytes) ? TokenReasons.DuplicateMember : TokenReasons.MalformedToken;
            return null;
        }
    }

    private static bool WellFormed(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, Lenient);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
