using System.Text;

namespace MutualAuth.Scram;

/// <summary>SCRAM message syntax (RFC 5802 §5.1, §7): saslname escaping and attribute lists.</summary>
internal static class ScramText
{
    /// <summary>
    /// Until SASLprep (RFC 4013) lands, only printable ASCII is accepted in names and passwords, for which
    /// SASLprep is the identity: anything else is refused rather than hashed differently from other peers.
    /// </summary>
    public static string Prepare(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 0 && text.All(c => c is >= ' ' and <= '~')
            ? text
            : throw new ScramException(ScramError.UnsupportedCharacters, $"The {what} must be non-empty printable ASCII until SASLprep is supported.");
    }

    public static string EscapeName(string name) => name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    public static string UnescapeName(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == ',')
            {
                throw new ScramException(ScramError.InvalidEncoding, "A name contains an unescaped ','.");
            }

            if (value[i] != '=')
            {
                builder.Append(value[i]);
                continue;
            }

            var escape = i + 2 < value.Length ? value.Substring(i + 1, 2) : "";
            builder.Append(escape switch
            {
                "2C" => ',',
                "3D" => '=',
                _ => throw new ScramException(ScramError.InvalidEncoding, "A name contains an invalid '=' escape."),
            });
            i += 2;
        }

        return builder.ToString();
    }

    /// <summary>Splits <c>a=…,b=…</c> into ordered (name, value) pairs.</summary>
    public static List<(char Name, string Value)> Attributes(string message)
    {
        var result = new List<(char, string)>();
        foreach (var part in message.Split(','))
        {
            if (part.Length < 2 || part[1] != '=' || !char.IsAsciiLetter(part[0]))
            {
                throw new ScramException(ScramError.InvalidEncoding, "A SCRAM attribute is malformed.");
            }

            result.Add((part[0], part[2..]));
        }

        return result;
    }

    public static byte[] Base64(string value, string what)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new ScramException(ScramError.InvalidEncoding, $"The {what} is not base64.");
        }
    }

    public static bool IsPrintableNonce(string nonce) => nonce.Length > 0 && nonce.All(c => c is >= '!' and <= '~' && c != ',');
}
