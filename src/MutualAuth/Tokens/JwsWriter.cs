using System.Text;
using System.Text.Json;
using MutualAuth.Keys;

namespace MutualAuth.Tokens;

/// <summary>Signs a compact JWS with a <see cref="SigningKey"/> (software, token or Ed25519 key alike).</summary>
internal static class JwsWriter
{
    /// <summary>
    /// <c>base64url(header).base64url(payload).base64url(signature)</c>; the header gets <c>alg</c> from the key and
    /// <c>typ</c>, and then what <paramref name="header"/> writes.
    /// </summary>
    public static string Sign(SigningKey key, string type, Action<Utf8JsonWriter> header, Action<Utf8JsonWriter> payload)
    {
        var alg = JwsAlgorithms.For(key.Algorithm);
        var headerJson = Json(w =>
        {
            w.WriteString("typ", type);
            w.WriteString("alg", alg);
            header(w);
        });
        var signingInput = Base64UrlText.Encode(headerJson) + "." + Base64UrlText.Encode(Json(payload));
        var signature = key.Sign(Encoding.ASCII.GetBytes(signingInput), JwsAlgorithms.Scheme(alg));
        return signingInput + "." + Base64UrlText.Encode(signature);
    }

    /// <summary>One JSON object with the members <paramref name="members"/> writes.</summary>
    public static byte[] Json(Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
