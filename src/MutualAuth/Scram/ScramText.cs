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

    /// <summary>The attribute names RFC 5802 defines; an optional extension may not reuse one (§5.1, §7).</summary>
    private const string DefinedNames = "amnrcsipev";

    /// <summary>Splits <c>a=…,b=…</c> into ordered (name, value) pairs; each is <c>ALPHA "=" 1*value-char</c> (RFC 5802 §7).</summary>
    public static List<(char Name, string Value)> Attributes(string message)
    {
        var result = new List<(char, string)>();
        foreach (var part in message.Split(','))
        {
            if (part.Length < 3 || part[1] != '=' || !char.IsAsciiLetter(part[0]) || part.Contains('\0', StringComparison.Ordinal))
            {
                throw new ScramException(ScramError.InvalidEncoding, "A SCRAM attribute is malformed.");
            }

            result.Add((part[0], part[2..]));
        }

        return result;
    }

    /// <summary>
    /// Reads a message against RFC 5802 §7's grammar: an optional reserved <c>m=</c> first where the grammar has one
    /// (refused: <see cref="ScramError.ExtensionsNotSupported"/>), then the attributes of <paramref name="order"/> exactly
    /// once and in that order, then optional extensions (each name once and none of RFC 5802's own names), then
    /// <paramref name="last"/> when the grammar ends with one. Anything repeated, missing, misplaced or unknown where
    /// an attribute is required is <see cref="ScramError.InvalidEncoding"/>.
    /// </summary>
    /// <returns>The values of <paramref name="order"/>, then of <paramref name="last"/>.</returns>
    public static string[] Parse(string message, string order, char? last, bool reservedExtension, string what)
    {
        var attributes = Attributes(message);
        if (attributes[0].Name == 'm' && reservedExtension)
        {
            throw new ScramException(ScramError.ExtensionsNotSupported, $"{what} has a mandatory extension (m=).");
        }

        var required = order.Length + (last is null ? 0 : 1);
        if (attributes.Count < required)
        {
            throw new ScramException(ScramError.InvalidEncoding, $"{what} lacks a mandatory attribute.");
        }

        var values = new string[required];
        for (var i = 0; i < order.Length; i++)
        {
            values[i] = attributes[i].Name == order[i]
                ? attributes[i].Value
                : throw new ScramException(ScramError.InvalidEncoding, $"{what} must start with {string.Join(',', order.Select(n => n + "=…"))}.");
        }

        var extensionsEnd = attributes.Count;
        if (last is { } lastName)
        {
            extensionsEnd--;
            values[^1] = attributes[^1].Name == lastName
                ? attributes[^1].Value
                : throw new ScramException(ScramError.InvalidEncoding, $"{what} must end with {lastName}=….");
        }

        var seen = new HashSet<char>();
        for (var i = order.Length; i < extensionsEnd; i++)
        {
            if (DefinedNames.Contains(attributes[i].Name, StringComparison.Ordinal) || !seen.Add(attributes[i].Name))
            {
                throw new ScramException(ScramError.InvalidEncoding, $"{what} repeats or misplaces the attribute '{attributes[i].Name}'.");
            }
        }

        return values;
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
