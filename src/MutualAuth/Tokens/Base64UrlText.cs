using System.Buffers.Text;

namespace MutualAuth.Tokens;

/// <summary>Strict base64url (RFC 4648 §5, no padding) as JOSE uses it.</summary>
internal static class Base64UrlText
{
    public static string Encode(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    /// <summary>The bytes, or null when <paramref name="text"/> is not canonical unpadded base64url.</summary>
    public static byte[]? Decode(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.ContainsAny('=', ' ') || !Base64Url.IsValid(text, out var length))
        {
            return text.IsEmpty ? [] : null;
        }

        var bytes = new byte[length];
        if (Base64Url.DecodeFromChars(text, bytes) != length)
        {
            return null;
        }

        // Refuse non-zero padding bits, so one value has one encoding (thumbprints, ath).
        return Base64Url.EncodeToString(bytes).AsSpan().SequenceEqual(text) ? bytes : null;
    }
}
