using System.Text;
using MutualAuth.Keys;
using MutualAuth.Tokens;

namespace MutualAuth.Tests.Tokens;

/// <summary>Builds tokens an attacker could send: any header and payload JSON, signed or not.</summary>
internal static class TestJws
{
    private static readonly Lazy<SoftwareSigningKey> SharedRsa = new(() => SoftwareSigningKey.Generate(SigningKeyAlgorithm.Rsa));

    /// <summary>One RSA key for every test: generating one takes seconds.</summary>
    public static SoftwareSigningKey Rsa => SharedRsa.Value;

    public static string B64(string json) => Base64UrlText.Encode(Encoding.UTF8.GetBytes(json));

    /// <summary>Signs the raw JSON with <paramref name="key"/> as <paramref name="alg"/> (which must fit the key).</summary>
    public static string Sign(SigningKey key, string alg, string headerJson, string payloadJson)
    {
        var input = B64(headerJson) + "." + B64(payloadJson);
        return input + "." + Base64UrlText.Encode(key.Sign(Encoding.ASCII.GetBytes(input), JwsAlgorithms.Scheme(alg)));
    }

    /// <summary>The public JWK of <paramref name="key"/> as JSON.</summary>
    public static string Jwk(SigningKey key, string? keyId = null) =>
        Encoding.UTF8.GetString(JwsWriterJson(w => PublicJwk.Write(w, key, keyId)));

    public static PublicJwk Parse(string jwkJson)
    {
        using var document = System.Text.Json.JsonDocument.Parse(jwkJson);
        return PublicJwk.Parse(document.RootElement.Clone()).Value!;
    }

    public static SingleUse Memory()
    {
        var seen = new HashSet<(string, string)>();
        return (scope, value, _, _) => ValueTask.FromResult(seen.Add((scope, value)));
    }

    private static byte[] JwsWriterJson(Action<System.Text.Json.Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.ToArray();
    }
}
