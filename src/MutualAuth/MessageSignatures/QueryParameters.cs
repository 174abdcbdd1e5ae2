using System.Globalization;
using System.Text;

namespace MutualAuth.MessageSignatures;

/// <summary>
/// <c>@query-param</c> (RFC 9421 §2.2.8): the query parsed as application/x-www-form-urlencoded (WHATWG URL §5.1), names
/// and values then percent-encoded again with the application/x-www-form-urlencoded percent-encode set (space as %20).
/// </summary>
internal static class QueryParameters
{
    /// <summary>The encoded values of the parameter whose encoded name is <paramref name="encodedName"/>, in order.</summary>
    public static List<string> Values(string query, string encodedName)
    {
        var values = new List<string>();
        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            if (Encode(Decode(name)) == encodedName)
            {
                values.Add(Encode(Decode(value)));
            }
        }

        return values;
    }

    /// <summary>Percent-encodes UTF-8 bytes, leaving ASCII letters, digits, <c>*</c>, <c>-</c>, <c>.</c> and <c>_</c>.</summary>
    public static string Encode(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'*' or (byte)'-' or (byte)'.' or (byte)'_')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>'+' to space, then percent-decoding into UTF-8 (invalid sequences become U+FFFD), as WHATWG does.</summary>
    private static string Decode(string text)
    {
        var bytes = new List<byte>();
        var raw = Encoding.UTF8.GetBytes(text.Replace('+', ' '));
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '%' && i + 2 < raw.Length && char.IsAsciiHexDigit((char)raw[i + 1]) && char.IsAsciiHexDigit((char)raw[i + 2]))
            {
                bytes.Add(byte.Parse(Encoding.ASCII.GetString(raw, i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.Add(raw[i]);
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
