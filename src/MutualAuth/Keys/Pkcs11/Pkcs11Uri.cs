using System.Text;

namespace MutualAuth.Keys.Pkcs11;

/// <summary>
/// A PKCS#11 URI (RFC 7512) naming a key or certificate on a token: <c>pkcs11:token=Card;object=alice;type=private</c>.
/// Parsed strictly: known attributes only, each at most once; a PIN in the URI (<c>pin-value</c>) is refused.
/// </summary>
internal sealed record Pkcs11Uri
{
    /// <summary>The scheme prefix, <c>pkcs11:</c>.</summary>
    public const string Scheme = "pkcs11:";

    // RFC 7512 section 2.3: object types. "secret-key" and "data" objects never sign, so they are refused.
    private static readonly string[] Types = ["private", "public", "cert"];

    // Bounded: a URI comes from a flag, a settings file or an environment variable; nothing legitimate is longer.
    private const int MaxLength = 2048;

    /// <summary>The token label (<c>token=</c>).</summary>
    public string? Token { get; init; }

    /// <summary>The token serial number (<c>serial=</c>).</summary>
    public string? Serial { get; init; }

    /// <summary>The token manufacturer (<c>manufacturer=</c>).</summary>
    public string? Manufacturer { get; init; }

    /// <summary>The token model (<c>model=</c>).</summary>
    public string? Model { get; init; }

    /// <summary>The object label (<c>object=</c>, CKA_LABEL).</summary>
    public string? Object { get; init; }

    /// <summary>The object id (<c>id=</c>, CKA_ID), as bytes.</summary>
    public byte[]? Id { get; init; }

    /// <summary>The object type (<c>type=</c>): private, public or cert.</summary>
    public string? Type { get; init; }

    /// <summary>Where the PIN is read from (<c>pin-source=</c>, a file path or <c>file:</c> URI); never the PIN itself.</summary>
    public string? PinSource { get; init; }

    /// <summary>The PKCS#11 module to load (<c>module-path=</c>).</summary>
    public string? ModulePath { get; init; }

    /// <summary>Whether <paramref name="text"/> is meant as a PKCS#11 URI (starts with <c>pkcs11:</c>).</summary>
    public static bool IsPkcs11Uri(string? text) => text is not null && text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">Not an RFC 7512 URI, an unknown or repeated attribute, or a <c>pin-value</c>.</exception>
    public static Pkcs11Uri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // The message never repeats the URI: it might hold a PIN (pin-value) the caller should not see echoed or logged.
        if (text.Length > MaxLength || !text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"A PKCS#11 URI starts with '{Scheme}' and has at most {MaxLength} characters.");
        }

        var rest = text[Scheme.Length..];
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rest : rest[..question];
        var query = question < 0 ? null : rest[(question + 1)..];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var uri = new Pkcs11Uri();
        foreach (var (name, value) in Attributes(path, ';', seen))
        {
            uri = name switch
            {
                "token" => uri with { Token = Text(name, value) },
                "serial" => uri with { Serial = Text(name, value) },
                "manufacturer" => uri with { Manufacturer = Text(name, value) },
                "model" => uri with { Model = Text(name, value) },
                "object" => uri with { Object = Text(name, value) },
                "id" => uri with { Id = Decode(name, value) },
                "type" => Types.Contains(Text(name, value), StringComparer.Ordinal)
                    ? uri with { Type = Text(name, value) }
                    : throw new FormatException($"PKCS#11 URI: type must be one of {string.Join(", ", Types)}."),
                _ => throw new FormatException($"PKCS#11 URI: the path attribute '{name}' is not supported (known: token, serial, manufacturer, model, object, id, type)."),
            };
        }

        if (query is not null)
        {
            foreach (var (name, value) in Attributes(query, '&', seen))
            {
                uri = name switch
                {
                    "pin-value" => throw new FormatException("PKCS#11 URI: pin-value is refused (a PIN in a URI ends up in process lists, logs and shell history); give the PIN with --pin-file, --pin-env, a prompt, or pin-source=file:PATH."),
                    "pin-source" => uri with { PinSource = Text(name, value) },
                    "module-path" => uri with { ModulePath = Text(name, value) },
                    _ => throw new FormatException($"PKCS#11 URI: the query attribute '{name}' is not supported (known: pin-source, module-path)."),
                };
            }
        }

        return uri;
    }

    /// <summary>The URI for OpenSSL's pkcs11 engine: token and object attributes only (never a PIN or its source).</summary>
    public string ForEngine(string type) => Path(type);

    /// <summary>The URI without a PIN (there is none), for messages and logs.</summary>
    public override string ToString()
    {
        var query = new List<string>();
        Add(query, "pin-source", PinSource);
        Add(query, "module-path", ModulePath);
        return Path(Type) + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }

    private string Path(string? type)
    {
        var parts = new List<string>();
        Add(parts, "token", Token);
        Add(parts, "serial", Serial);
        Add(parts, "manufacturer", Manufacturer);
        Add(parts, "model", Model);
        Add(parts, "object", Object);
        if (Id is not null)
        {
            parts.Add("id=" + Encode(Id));
        }

        Add(parts, "type", type);
        return Scheme + string.Join(';', parts);
    }

    private static IEnumerable<(string Name, string Value)> Attributes(string part, char separator, HashSet<string> seen)
    {
        if (part.Length == 0)
        {
            yield break;
        }

        foreach (var attribute in part.Split(separator))
        {
            var equals = attribute.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException("PKCS#11 URI: every attribute is NAME=VALUE.");
            }

            var name = attribute[..equals];
            if (!name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                throw new FormatException("PKCS#11 URI: attribute names are lower-case letters, digits and '-'.");
            }

            // RFC 7512 section 2.3: an attribute must not appear more than once.
            if (!seen.Add(name))
            {
                throw new FormatException($"PKCS#11 URI: the attribute '{name}' appears more than once.");
            }

            yield return (name, attribute[(equals + 1)..]);
        }
    }

    private static string Text(string name, string value)
    {
        try
        {
            var text = new UTF8Encoding(false, true).GetString(Decode(name, value));
            return text.Length == 0 || text.Any(char.IsControl)
                ? throw new FormatException($"PKCS#11 URI: {name} is empty or holds control characters.")
                : text;
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException($"PKCS#11 URI: {name} is not UTF-8.", e);
        }
    }

    /// <summary>Percent-decodes <paramref name="value"/>; refuses characters RFC 7512 does not allow unencoded.</summary>
    private static byte[] Decode(string name, string value)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length || !Uri.IsHexDigit(value[i + 1]) || !Uri.IsHexDigit(value[i + 2]))
                {
                    throw new FormatException($"PKCS#11 URI: {name} has a '%' not followed by two hex digits.");
                }

                bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (char.IsAsciiLetterOrDigit(c) || "-._~:[]@!$'()*+,=/|".Contains(c, StringComparison.Ordinal))
            {
                bytes.Add((byte)c);
            }
            else
            {
                throw new FormatException($"PKCS#11 URI: {name} holds a character that must be percent-encoded.");
            }
        }

        return [.. bytes];
    }

    private static void Add(List<string> parts, string name, string? value)
    {
        if (value is not null)
        {
            parts.Add(name + "=" + Encode(Encoding.UTF8.GetBytes(value)));
        }
    }

    private static string Encode(byte[] bytes)
    {
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
