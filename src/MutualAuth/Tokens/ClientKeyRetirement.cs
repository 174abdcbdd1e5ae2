using System.Text.Json;
using System.Text.Json.Nodes;

namespace MutualAuth.Tokens;

/// <summary>
/// The overlap of <c>client rotate</c>: the client's previous keys stay in its JWKS with an <c>exp</c> member (a
/// NumericDate; RFC 7517 §4 lets a JWK carry members others ignore), accepted until then and refused afterwards, so a
/// deployment can switch to the new credential without a gap.
/// </summary>
internal static class ClientKeyRetirement
{
    /// <summary>The JWK member holding when a retiring key stops being accepted.</summary>
    public const string ExpiresMember = "exp";

    /// <summary>Whether <paramref name="jwk"/> carries an <c>exp</c> at or before <paramref name="now"/> (or an unreadable one).</summary>
    public static bool IsRetired(JsonElement jwk, DateTimeOffset now) =>
        jwk.ValueKind == JsonValueKind.Object && jwk.TryGetProperty(ExpiresMember, out var exp)
        && !(exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out var seconds) && seconds > now.ToUnixTimeSeconds());

    /// <summary>
    /// The JWKS after a rotation: the new keys, then the previous keys still accepted at <paramref name="now"/>, each
    /// retiring at <paramref name="retireAt"/> or its own earlier <c>exp</c>; at most <paramref name="maxKeys"/> keys.
    /// With <paramref name="retireAt"/> not after <paramref name="now"/>, only the new keys.
    /// </summary>
    public static string Merge(string newJwks, string? previousJwks, DateTimeOffset retireAt, DateTimeOffset now, int maxKeys)
    {
        var merged = JsonNode.Parse(newJwks)!.AsObject();
        var keys = merged["keys"]!.AsArray();
        if (retireAt <= now || previousJwks is null)
        {
            return merged.ToJsonString();
        }

        using var previous = JsonDocument.Parse(previousJwks);
        foreach (var key in previous.RootElement.GetProperty("keys").EnumerateArray())
        {
            if (keys.Count >= maxKeys || IsRetired(key, now))
            {
                continue;
            }

            var retiring = JsonNode.Parse(key.GetRawText())!.AsObject();
            var until = retiring[ExpiresMember] is { } own ? Math.Min(own.GetValue<long>(), retireAt.ToUnixTimeSeconds()) : retireAt.ToUnixTimeSeconds();
            retiring[ExpiresMember] = until;
            keys.Add((JsonNode)retiring);
        }

        return merged.ToJsonString();
    }
}
