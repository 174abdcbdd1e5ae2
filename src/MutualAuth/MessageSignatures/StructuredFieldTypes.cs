using MutualAuth.MessageSignatures.StructuredFields;

namespace MutualAuth.MessageSignatures;

/// <summary>
/// Which HTTP fields are Structured Fields and of which type, for the <c>;sf</c> parameter (RFC 9421 §2.1.1): a field can
/// only be re-serialised when its type is known. <see cref="Default"/> holds registered fields; add others with <see cref="With"/>.
/// </summary>
public sealed class StructuredFieldTypes
{
    private readonly Dictionary<string, StructuredFieldType> _types;

    private StructuredFieldTypes(Dictionary<string, StructuredFieldType> types) => _types = types;

    /// <summary>The structured fields of RFC 9421, RFC 9530 (digests), RFC 9218, RFC 9211, RFC 9209 and RFC 9440.</summary>
    public static StructuredFieldTypes Default { get; } = new(new(StringComparer.Ordinal)
    {
        ["signature-input"] = StructuredFieldType.Dictionary,
        ["signature"] = StructuredFieldType.Dictionary,
        ["accept-signature"] = StructuredFieldType.Dictionary,
        ["content-digest"] = StructuredFieldType.Dictionary,
        ["repr-digest"] = StructuredFieldType.Dictionary,
        ["want-content-digest"] = StructuredFieldType.Dictionary,
        ["want-repr-digest"] = StructuredFieldType.Dictionary,
        ["priority"] = StructuredFieldType.Dictionary,
        ["cache-status"] = StructuredFieldType.List,
        ["proxy-status"] = StructuredFieldType.List,
        ["client-cert"] = StructuredFieldType.Item,
        ["client-cert-chain"] = StructuredFieldType.List,
    });

    /// <summary>A copy that also knows <paramref name="fieldName"/> (any case) as <paramref name="type"/>.</summary>
    public StructuredFieldTypes With(string fieldName, StructuredFieldType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(fieldName);
        return new(new(_types, StringComparer.Ordinal) { [fieldName.ToLowerInvariant()] = type });
    }

    /// <summary>The type of a field (lower-case name), or null when unknown.</summary>
    public StructuredFieldType? TypeOf(string fieldName) =>
        _types.TryGetValue(fieldName, out var type) ? type : null;
}
