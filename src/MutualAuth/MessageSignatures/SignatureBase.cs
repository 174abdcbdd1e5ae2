using System.Text;
using MutualAuth.MessageSignatures.StructuredFields;

namespace MutualAuth.MessageSignatures;

/// <summary>
/// Creates the signature base of RFC 9421 §2.5: one line per covered component, <c>identifier: value</c>, then the
/// <c>"@signature-params"</c> line; lines joined with LF and no trailing LF. Signers and verifiers sign or check its
/// ASCII bytes.
/// </summary>
internal static class SignatureBase
{
    /// <summary>Creates the signature base of <paramref name="parameters"/> over <paramref name="message"/>.</summary>
    /// <param name="message">The message (a response carries its request for <c>;req</c>).</param>
    /// <param name="parameters">The covered components and signature parameters.</param>
    /// <param name="fieldTypes">Structured field types for <c>;sf</c>; <see cref="StructuredFieldTypes.Default"/> when null.</param>
    /// <returns>The signature base text, ASCII only.</returns>
    /// <exception cref="MessageSignatureException">
    /// <see cref="MessageSignatureError.DuplicateComponent"/>: a component listed twice;
    /// <see cref="MessageSignatureError.MissingComponent"/>: a component absent from the message;
    /// <see cref="MessageSignatureError.InvalidComponentValue"/>: a value with a line break or non-ASCII character, or a field that does not parse;
    /// <see cref="MessageSignatureError.InvalidComponentIdentifier"/>: <c>;sf</c> on a field of unknown type, <c>;req</c> on a request.</exception>
    public static string Create(HttpMessageComponents message, SignatureParameters parameters, StructuredFieldTypes? fieldTypes = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(parameters);
        var seen = new HashSet<ComponentIdentifier>();
        var builder = new StringBuilder();
        foreach (var component in parameters.Components)
        {
            if (!seen.Add(component))
            {
                throw new MessageSignatureException(MessageSignatureError.DuplicateComponent, $"The component {component} is listed twice.");
            }

            builder.Append(component.ToString()).Append(": ").Append(ComponentValue(message, component, fieldTypes)).Append('\n');
        }

        builder.Append("\"@signature-params\": ").Append(parameters.ToString());
        return builder.ToString();
    }

    /// <summary>The canonical value of one component in <paramref name="message"/> (§2.1, §2.2, §2.4).</summary>
    /// <exception cref="MessageSignatureException">As for <see cref="Create"/>.</exception>
    public static string ComponentValue(HttpMessageComponents message, ComponentIdentifier component, StructuredFieldTypes? fieldTypes = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(component);
        if (component.FromRelatedRequest)
        {
            if (message.IsRequest)
            {
                throw new MessageSignatureException(MessageSignatureError.InvalidComponentIdentifier, "'req' is only used when signing a response.");
            }

            var request = message.Request
                ?? throw new MessageSignatureException(MessageSignatureError.MissingComponent, "The response has no related request for 'req'.");
            return ComponentValue(request, component.WithoutRequestFlag(), fieldTypes);
        }

        var value = component.IsDerived ? DerivedComponents.Value(message, component) : FieldValue(message, component, fieldTypes ?? StructuredFieldTypes.Default);
        foreach (var c in value)
        {
            if (c is (< ' ' and not '\t') or > '~')
            {
                throw new MessageSignatureException(MessageSignatureError.InvalidComponentValue, $"The value of {component} has a control or non-ASCII character.");
            }
        }

        return value;
    }

    private static string FieldValue(HttpMessageComponents message, ComponentIdentifier component, StructuredFieldTypes fieldTypes)
    {
        if (component.Trailer)
        {
            throw new MessageSignatureException(MessageSignatureError.MissingComponent, "Trailers are not part of this message model.");
        }

        var lines = message.FieldLines(component.Name)
            ?? throw new MessageSignatureException(MessageSignatureError.MissingComponent, $"The message has no {component.Name} field.");

        // §2.1: each field line's value trimmed of leading and trailing whitespace, then joined with ", ".
        var trimmed = lines.Select(l => l.Trim(' ', '\t')).ToList();
        if (component.ByteSequence)
        {
            return string.Join(", ", trimmed.Select(l => ":" + Convert.ToBase64String(Encoding.Latin1.GetBytes(l)) + ":"));
        }

        var combined = string.Join(", ", trimmed);
        if (component.Key is null && !component.Structured)
        {
            return combined;
        }

        try
        {
            if (component.Key is { } memberKey)
            {
                var member = StructuredFieldParser.ParseDictionary(combined)[memberKey]
                    ?? throw new MessageSignatureException(MessageSignatureError.MissingComponent, $"The {component.Name} dictionary has no member {memberKey}.");
                return StructuredFieldSerializer.SerializeMember(member);
            }

            return fieldTypes.TypeOf(component.Name) switch
            {
                StructuredFieldType.Item => StructuredFieldSerializer.SerializeItem(StructuredFieldParser.ParseItem(combined)),
                StructuredFieldType.List => StructuredFieldSerializer.SerializeList(StructuredFieldParser.ParseList(combined)),
                StructuredFieldType.Dictionary => StructuredFieldSerializer.SerializeDictionary(StructuredFieldParser.ParseDictionary(combined)),
                _ => throw new MessageSignatureException(MessageSignatureError.InvalidComponentIdentifier, $"{component.Name} is not a known structured field, so 'sf' cannot apply."),
            };
        }
        catch (StructuredFieldException e)
        {
            throw new MessageSignatureException(MessageSignatureError.InvalidComponentValue, $"The {component.Name} field is not a valid structured field.", e);
        }
    }
}
