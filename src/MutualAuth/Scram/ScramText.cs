using System.Text;

namespace MutualAuth.Scram;

/// <summary>SCRAM message syntax (RFC 5802 §5.1, §7): saslname escaping and attribute lists.</summary>
internal static class ScramText
{
    /// <summary>Prepares a user name with SASLprep (RFC 4013, RFC 5802 §5.1); names it refuses are refused.</summary>
    public static string PrepareName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ScramCredential.TryPrepareUserName(name, out var prepared)
            ? prepared
            : throw new ScramException(ScramError.UnsupportedCharacters, "The user name is empty after SASLprep (RFC 4013), longer than 255 characters, or has characters SASLprep refuses.");
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
