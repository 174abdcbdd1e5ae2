using MutualAuth.MessageSignatures.StructuredFields;

namespace MutualAuth.MessageSignatures;

/// <summary>A component identifier (RFC 9421 §2): a field or derived component (<c>@…</c>) name with its parameters.</summary>
public sealed class ComponentIdentifier : IEquatable<ComponentIdentifier>
{
    private static readonly HashSet<string> DerivedNames =
        ["@method", "@target-uri", "@authority", "@scheme", "@request-target", "@path", "@query", "@query-param", "@status"];

    /// <summary>Builds and checks an identifier.</summary>
    /// <param name="name">A lower-case field name or a derived component name such as <c>@method</c>.</param>
    /// <param name="parameters">The parameters, in order; none when null.</param>
    /// <exception cref="MessageSignatureException"><see cref="MessageSignatureError.InvalidComponentIdentifier"/>: upper case, an unknown
    /// derived component, an unknown parameter or value, <c>bs</c> with <c>sf</c> or <c>key</c>, <c>@query-param</c> without <c>name</c>.</exception>
    internal ComponentIdentifier(string name, SfParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Parameters = parameters ?? SfParameters.Empty;
        Validate();
    }

    /// <summary><c>@method</c> (§2.2.1).</summary>
    public static ComponentIdentifier Method { get; } = new("@method");

    /// <summary><c>@target-uri</c> (§2.2.2).</summary>
    public static ComponentIdentifier TargetUri { get; } = new("@target-uri");

    /// <summary><c>@authority</c> (§2.2.3).</summary>
    public static ComponentIdentifier Authority { get; } = new("@authority");

    /// <summary><c>@scheme</c> (§2.2.4).</summary>
    public static ComponentIdentifier Scheme { get; } = new("@scheme");

    /// <summary><c>@request-target</c> (§2.2.5).</summary>
    public static ComponentIdentifier RequestTarget { get; } = new("@request-target");

    /// <summary><c>@path</c> (§2.2.6).</summary>
    public static ComponentIdentifier Path { get; } = new("@path");

    /// <summary><c>@query</c> (§2.2.7).</summary>
    public static ComponentIdentifier Query { get; } = new("@query");

    /// <summary><c>@status</c> (§2.2.9).</summary>
    public static ComponentIdentifier Status { get; } = new("@status");

    /// <summary>The component name.</summary>
    public string Name { get; }

    /// <summary>The parameters, in order.</summary>
    internal SfParameters Parameters { get; }

    /// <summary>Whether this is a derived component (<c>@…</c>).</summary>
    public bool IsDerived => Name.StartsWith('@');

    /// <summary>Whether the <c>req</c> parameter takes the value from the related request (§2.4).</summary>
    public bool FromRelatedRequest => Flag("req");

    /// <summary>The <c>key</c> parameter (a Dictionary member, §2.1.2), or null.</summary>
    public string? Key => (Parameters["key"] as SfString)?.Value;

    /// <summary>The <c>name</c> parameter of <c>@query-param</c> (§2.2.8), or null.</summary>
    public string? QueryParameterName => (Parameters["name"] as SfString)?.Value;

    /// <summary>Whether <c>sf</c> (re-serialise as a structured field, §2.1.1) is set.</summary>
    public bool Structured => Flag("sf");

    /// <summary>Whether <c>bs</c> (each field line as a byte sequence, §2.1.3) is set.</summary>
    public bool ByteSequence => Flag("bs");

    /// <summary>Whether <c>tr</c> (the trailer, §2.1.4) is set.</summary>
    public bool Trailer => Flag("tr");

    /// <summary>An HTTP field, by name (lower-cased).</summary>
    public static ComponentIdentifier Field(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new(name.ToLowerInvariant());
    }

    /// <summary><c>@query-param</c> for one parameter; <paramref name="encodedName"/> is its name percent-encoded as §2.2.8 says.</summary>
    public static ComponentIdentifier QueryParameter(string encodedName) =>
        new("@query-param", new SfParameters([new("name", new SfString(encodedName))]));

    /// <summary>Reads an identifier from its serialised form, e.g. <c>"@query-param";name="Pet"</c>.</summary>
    /// <exception cref="MessageSignatureException"><see cref="MessageSignatureError.InvalidComponentIdentifier"/>: not an sf-string with valid parameters.</exception>
    public static ComponentIdentifier Parse(string text)
    {
        try
        {
            return FromItem(StructuredFieldParser.ParseItem(text));
        }
        catch (StructuredFieldException e)
        {
            throw new MessageSignatureException(MessageSignatureError.InvalidComponentIdentifier, "A component identifier is an sf-string with parameters.", e);
        }
    }

    /// <summary>Reads an identifier from an Inner List item of <c>Signature-Input</c>.</summary>
    /// <exception cref="MessageSignatureException"><see cref="MessageSignatureError.InvalidComponentIdentifier"/>: not a String, or invalid.</exception>
    internal static ComponentIdentifier FromItem(SfItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Value is SfString name
            ? new ComponentIdentifier(name.Value, item.Parameters)
            : throw new MessageSignatureException(MessageSignatureError.InvalidComponentIdentifier, "A component identifier is an sf-string.");
    }

    /// <summary>A copy with <c>key="…"</c> (§2.1.2).</summary>
    public ComponentIdentifier WithKey(string key) => With("key", new SfString(key));

    /// <summary>A copy with <c>sf</c> (§2.1.1).</summary>
    public ComponentIdentifier AsStructured() => With("sf", SfBareItem.True);

    /// <summary>A copy with <c>bs</c> (§2.1.3).</summary>
    public ComponentIdentifier AsByteSequence() => With("bs", SfBareItem.True);

    /// <summary>A copy with <c>req</c> (§2.4).</summary>
    public ComponentIdentifier OfRequest() => With("req", SfBareItem.True);

    /// <summary>A copy without <c>req</c>, to read the value from the related request.</summary>
    internal ComponentIdentifier WithoutRequestFlag() =>
        new(Name, new SfParameters(Parameters.Where(p => p.Key != "req")));

    /// <summary>As an Inner List item.</summary>
    internal SfItem ToItem() => new(new SfString(Name), Parameters);

    /// <summary>The serialised form used in the signature base and <c>Signature-Input</c>, e.g. <c>"signature";req;key="sig1"</c>.</summary>
    public override string ToString() => StructuredFieldSerializer.SerializeItem(ToItem());

    // Parameter order does not matter: a component listed twice with reordered parameters is a duplicate (§2.5).
    /// <inheritdoc />
    public bool Equals(ComponentIdentifier? other) =>
        other is not null && Name == other.Name && Parameters.Count == other.Parameters.Count
        && Parameters.All(p => p.Value.Equals(other.Parameters[p.Key]));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ComponentIdentifier);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Parameters.Count);

    private ComponentIdentifier With(string key, SfBareItem value) => new(Name, Parameters.With(key, value));

    private bool Flag(string key) => Parameters[key] is SfBoolean { Value: true };

    private void Validate()
    {
        if (Name.Length == 0 || Name.Any(c => c is < '!' or > '~' || char.IsAsciiLetterUpper(c)))
        {
            Fail("a component name is lower-case visible ASCII");
        }

        if (IsDerived && !DerivedNames.Contains(Name))
        {
            Fail($"'{Name}' is not a derived component this implementation knows");
        }

        foreach (var (key, value) in Parameters)
        {
            var allowed = key switch
            {
                "req" => value is SfBoolean { Value: true },
                "sf" or "bs" or "tr" => !IsDerived && value is SfBoolean { Value: true },
                "key" => !IsDerived && value is SfString,
                "name" => Name == "@query-param" && value is SfString,
                _ => false,
            };
            if (!allowed)
            {
                Fail($"parameter '{key}' is not valid on '{Name}'");
            }
        }

        if (ByteSequence && (Structured || Key is not null))
        {
            Fail("'bs' cannot be combined with 'sf' or 'key'");
        }

        if (Name == "@query-param" && QueryParameterName is null)
        {
            Fail("'@query-param' needs a 'name' parameter");
        }
    }

    private static void Fail(string why) =>
        throw new MessageSignatureException(MessageSignatureError.InvalidComponentIdentifier, $"Invalid component identifier: {why}.");
}
