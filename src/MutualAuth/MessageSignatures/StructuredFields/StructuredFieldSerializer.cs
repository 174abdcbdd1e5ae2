using System.Globalization;
using System.Text;

namespace MutualAuth.MessageSignatures.StructuredFields;

/// <summary>
/// Serialises Structured Field values (RFC 9651 §4.1). Values the format cannot carry (an Integer out of range, a String
/// with a non-printable character, an invalid Token or Key…) are refused rather than written.
/// </summary>
internal static class StructuredFieldSerializer
{
    private const long MaxInteger = 999_999_999_999_999;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Serialises an Item field (§4.1.3).</summary>
    /// <exception cref="StructuredFieldException">A value cannot be serialised.</exception>
    public static string SerializeItem(SfItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var builder = new StringBuilder();
        WriteItem(builder, item);
        return builder.ToString();
    }

    /// <summary>Serialises a List field (§4.1.1); an empty list gives an empty string (the field is then omitted).</summary>
    /// <exception cref="StructuredFieldException">A value cannot be serialised.</exception>
    public static string SerializeList(IEnumerable<SfMember> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var builder = new StringBuilder();
        foreach (var member in list)
        {
            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            WriteMember(builder, member);
        }

        return builder.ToString();
    }

    /// <summary>Serialises a Dictionary field (§4.1.2); an empty dictionary gives an empty string.</summary>
    /// <exception cref="StructuredFieldException">A key or value cannot be serialised.</exception>
    public static string SerializeDictionary(IEnumerable<KeyValuePair<string, SfMember>> dictionary)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        var builder = new StringBuilder();
        foreach (var (key, member) in dictionary)
        {
            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            WriteKey(builder, key);
            if (member is SfItem { Value: SfBoolean { Value: true } } flag)
            {
                WriteParameters(builder, flag.Parameters);
            }
            else
            {
                builder.Append('=');
                WriteMember(builder, member);
            }
        }

        return builder.ToString();
    }

    /// <summary>Serialises one List or Dictionary member value: an Item or an Inner List with its parameters.</summary>
    /// <exception cref="StructuredFieldException">A value cannot be serialised.</exception>
    public static string SerializeMember(SfMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var builder = new StringBuilder();
        WriteMember(builder, member);
        return builder.ToString();
    }

    /// <summary>Serialises parameters (§4.1.1.2), e.g. <c>;a=1;b</c>.</summary>
    /// <exception cref="StructuredFieldException">A key or value cannot be serialised.</exception>
    public static string SerializeParameters(SfParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var builder = new StringBuilder();
        WriteParameters(builder, parameters);
        return builder.ToString();
    }

    /// <summary>Serialises a Bare Item (§4.1.3.1).</summary>
    /// <exception cref="StructuredFieldException">The value cannot be serialised.</exception>
    public static string SerializeBareItem(SfBareItem value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder();
        WriteBareItem(builder, value);
        return builder.ToString();
    }

    private static void WriteMember(StringBuilder builder, SfMember member)
    {
        switch (member)
        {
            case SfItem item:
                WriteItem(builder, item);
                break;
            case SfInnerList list:
                builder.Append('(');
                for (var i = 0; i < list.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(' ');
                    }

                    WriteItem(builder, list.Items[i]);
                }

                builder.Append(')');
                WriteParameters(builder, list.Parameters);
                break;
            default:
                throw new ArgumentException("Unknown member type.", nameof(member));
        }
    }

    private static void WriteItem(StringBuilder builder, SfItem item)
    {
        WriteBareItem(builder, item.Value);
        WriteParameters(builder, item.Parameters);
    }

    private static void WriteParameters(StringBuilder builder, SfParameters parameters)
    {
        foreach (var (key, value) in parameters)
        {
            builder.Append(';');
            WriteKey(builder, key);
            if (value is not SfBoolean { Value: true })
            {
                builder.Append('=');
                WriteBareItem(builder, value);
            }
        }
    }

    private static void WriteKey(StringBuilder builder, string key)
    {
        if (key.Length == 0 || key[0] is not ((>= 'a' and <= 'z') or '*') || !key.All(SfCharacters.IsKeyChar))
        {
            throw new StructuredFieldException(StructuredFieldError.InvalidCharacter, "A key is lcalpha or '*' followed by lcalpha, DIGIT, '_', '-', '.' or '*'.");
        }

        builder.Append(key);
    }

    private static void WriteBareItem(StringBuilder builder, SfBareItem value)
    {
        switch (value)
        {
            case SfInteger integer:
                WriteInteger(builder, integer.Value);
                break;
            case SfDecimal number:
                WriteDecimal(builder, number.Value);
                break;
            case SfString text:
                WriteString(builder, text.Value);
                break;
            case SfToken token:
                WriteToken(builder, token.Value);
                break;
            case SfByteSequence bytes:
                builder.Append(':').Append(Convert.ToBase64String(bytes.Value.Span)).Append(':');
                break;
            case SfBoolean boolean:
                builder.Append(boolean.Value ? "?1" : "?0");
                break;
            case SfDate date:
                builder.Append('@');
                WriteInteger(builder, date.UnixSeconds);
                break;
            case SfDisplayString display:
                WriteDisplayString(builder, display.Value);
                break;
            default:
                throw new ArgumentException("Unknown bare item type.", nameof(value));
        }
    }

    private static void WriteInteger(StringBuilder builder, long value)
    {
        if (value is > MaxInteger or < -MaxInteger)
        {
            throw new StructuredFieldException(StructuredFieldError.NumberOutOfRange, "An integer has at most 15 digits.");
        }

        builder.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    private static void WriteDecimal(StringBuilder builder, decimal value)
    {
        var rounded = Math.Round(value, 3, MidpointRounding.ToEven);
        if (Math.Abs(decimal.Truncate(rounded)) > 999_999_999_999m)
        {
            throw new StructuredFieldException(StructuredFieldError.NumberOutOfRange, "A decimal has at most 12 integer digits.");
        }

        builder.Append(rounded.ToString("0.0##", CultureInfo.InvariantCulture));
    }

    private static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                throw new StructuredFieldException(StructuredFieldError.InvalidCharacter, "A string holds printable ASCII only.");
            }

            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        builder.Append('"');
    }

    private static void WriteToken(StringBuilder builder, string value)
    {
        if (value.Length == 0 || !(char.IsAsciiLetter(value[0]) || value[0] == '*')
            || !value.All(c => SfCharacters.IsTokenChar(c) || c is ':' or '/'))
        {
            throw new StructuredFieldException(StructuredFieldError.InvalidCharacter, "A token is ALPHA or '*' followed by tchar, ':' or '/'.");
        }

        builder.Append(value);
    }

    private static void WriteDisplayString(StringBuilder builder, string value)
    {
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new StructuredFieldException("A display string is not valid Unicode.", e);
        }

        builder.Append("%\"");
        foreach (var b in bytes)
        {
            if (b is (byte)'%' or (byte)'"' or < 0x20 or > 0x7E)
            {
                builder.Append('%').Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append((char)b);
            }
        }

        builder.Append('"');
    }
}
