using System.Text;

namespace MutualAuth.Scram;

/// <summary>
/// The <c>auth-scheme 1#auth-param</c> form of <c>Authorization</c>, <c>WWW-Authenticate</c> and
/// <c>Authentication-Info</c> values (RFC 9110 §11.2–11.6), as RFC 7804 uses it: <c>SCRAM-SHA-256 sid=…, data=…</c>.
/// Values may be tokens, quoted strings or, as in RFC 7804's examples, unquoted base64 with <c>=</c> padding.
/// </summary>
internal static class HttpAuthParameters
{
    /// <summary>The longest header value parsed, in characters; longer ones are refused.</summary>
    public const int MaxLength = 8 * 1024;

    /// <summary>Splits <c>Scheme name=value, …</c> into the scheme and its parameters (names lower-cased).</summary>
    /// <param name="value">One credentials or challenge value.</param>
    /// <param name="scheme">The auth-scheme, as sent.</param>
    /// <param name="parameters">The parameters; a repeated name makes the value invalid.</param>
    /// <returns>Whether the value is well-formed and at most <see cref="MaxLength"/> characters.</returns>
    public static bool TryParse(string? value, out string scheme, out IReadOnlyDictionary<string, string> parameters)
    {
        scheme = "";
        parameters = new Dictionary<string, string>();
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        var space = value.IndexOf(' ', StringComparison.Ordinal);
        scheme = space < 0 ? value : value[..space];
        if (scheme.Length == 0 || !scheme.All(IsTokenChar))
        {
            return false;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = space < 0 ? value.Length : space;
        while (i < value.Length)
        {
            i = Skip(value, i);
            if (i >= value.Length)
            {
                break;
            }

            var nameStart = i;
            while (i < value.Length && IsTokenChar(value[i]))
            {
                i++;
            }

            var name = value[nameStart..i].ToLowerInvariant();
            i = SkipSpaces(value, i);
            if (name.Length == 0 || i >= value.Length || value[i] != '=')
            {
                return false;
            }

            i = SkipSpaces(value, i + 1);
            if (!TryReadValue(value, ref i, out var parameterValue) || !result.TryAdd(name, parameterValue))
            {
                return false;
            }

            i = SkipSpaces(value, i);
            if (i < value.Length && value[i] != ',')
            {
                return false;
            }
        }

        parameters = result;
        return true;
    }

    /// <summary>Formats <c>Scheme name=value, …</c>; values that are not tokens or base64 are quoted.</summary>
    /// <param name="scheme">The auth-scheme, or empty for a bare parameter list (<c>Authentication-Info</c>).</param>
    /// <param name="parameters">Name and value pairs, in order.</param>
    public static string Format(string scheme, params (string Name, string Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(parameters);
        var builder = new StringBuilder(scheme);
        for (var i = 0; i < parameters.Length; i++)
        {
            builder.Append(i > 0 ? ", " : scheme.Length > 0 ? " " : "").Append(parameters[i].Name).Append('=');
            var value = parameters[i].Value;
            if (value.Length > 0 && value.All(c => IsTokenChar(c) || c is '=' or '/'))
            {
                builder.Append(value);
            }
            else
            {
                builder.Append('"').Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
            }
        }

        return builder.ToString();
    }

    private static bool TryReadValue(string value, ref int i, out string result)
    {
        result = "";
        if (i < value.Length && value[i] == '"')
        {
            var builder = new StringBuilder();
            for (i++; i < value.Length; i++)
            {
                var c = value[i];
                if (c == '"')
                {
                    i++;
                    result = builder.ToString();
                    return true;
                }

                if (c == '\\' && i + 1 < value.Length)
                {
                    c = value[++i];
                }

                if (char.IsControl(c) && c != '\t')
                {
                    return false;
                }

                builder.Append(c);
            }

            return false;
        }

        var start = i;
        while (i < value.Length && (IsTokenChar(value[i]) || value[i] is '=' or '/'))
        {
            i++;
        }

        result = value[start..i];
        return result.Length > 0;
    }

    private static int Skip(string value, int i)
    {
        while (i < value.Length && (value[i] is ' ' or '\t' or ','))
        {
            i++;
        }

        return i;
    }

    private static int SkipSpaces(string value, int i)
    {
        while (i < value.Length && value[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
