using MutualAuth.MessageSignatures.StructuredFields;

namespace MutualAuth.MessageSignatures;

/// <summary>
/// The <c>Signature-Input</c> and <c>Signature</c> fields (RFC 9421 §4.1, §4.2): Dictionaries from a label to the
/// signature parameters and to the signature bytes. Several labels and several field lines are read; a label repeated
/// across or within lines is refused rather than silently overwritten.
/// </summary>
internal static class SignatureFields
{
    /// <summary>The <c>signature-input</c> field name.</summary>
    public const string SignatureInput = "signature-input";

    /// <summary>The <c>signature</c> field name.</summary>
    public const string Signature = "signature";

    /// <summary>Reads <c>Signature-Input</c> field lines: label → parameters, in order of appearance.</summary>
    /// <exception cref="MessageSignatureException"><see cref="MessageSignatureError.MalformedSignatureFields"/>: not a Dictionary of Inner
    /// Lists, a repeated label, or a parameter of the wrong type; <see cref="MessageSignatureError.InvalidComponentIdentifier"/>.</exception>
    public static IReadOnlyList<KeyValuePair<string, SignatureParameters>> ParseSignatureInput(IEnumerable<string> fieldLines) =>
        [.. Members(fieldLines).Select(m => new KeyValuePair<string, SignatureParameters>(
            m.Key,
            m.Value is SfInnerList list
                ? SignatureParameters.FromInnerList(list)
                : throw Malformed($"Signature-Input member '{m.Key}' is not an Inner List")))];

    /// <summary>Reads <c>Signature</c> field lines: label → signature bytes, in order of appearance.</summary>
    /// <exception cref="MessageSignatureException"><see cref="MessageSignatureError.MalformedSignatureFields"/>: not a Dictionary of Byte Sequences, or a repeated label.</exception>
    public static IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> ParseSignature(IEnumerable<string> fieldLines) =>
        [.. Members(fieldLines).Select(m => new KeyValuePair<string, ReadOnlyMemory<byte>>(
            m.Key,
            m.Value is SfItem { Value: SfByteSequence bytes }
                ? bytes.Value
                : throw Malformed($"Signature member '{m.Key}' is not a Byte Sequence")))];

    /// <summary>One <c>Signature-Input</c> member, <c>label=(…);created=…</c>, to add as a field line (or join with <c>", "</c>).</summary>
    /// <exception cref="ArgumentException">The label is not a structured-field key (lower case, digits, <c>_-.*</c>).</exception>
    public static string FormatSignatureInput(string label, SignatureParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return CheckLabel(label) + "=" + parameters;
    }

    /// <summary>One <c>Signature</c> member, <c>label=:base64:</c>.</summary>
    /// <exception cref="ArgumentException">The label is not a structured-field key.</exception>
    public static string FormatSignature(string label, ReadOnlySpan<byte> signature) =>
        CheckLabel(label) + "=:" + Convert.ToBase64String(signature) + ":";

    /// <summary>Whether <paramref name="label"/> can name a signature (a structured-field key, §4.1).</summary>
    public static bool IsValidLabel(string? label) =>
        label is { Length: > 0 } && label[0] is (>= 'a' and <= 'z') or '*' && label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.' or '*');

    private static string CheckLabel(string label) =>
        IsValidLabel(label) ? label : throw new ArgumentException("A signature label is a structured-field key: lcalpha or '*', then lcalpha, DIGIT, '_', '-', '.', '*'.", nameof(label));

    private static List<KeyValuePair<string, SfMember>> Members(IEnumerable<string> fieldLines)
    {
        ArgumentNullException.ThrowIfNull(fieldLines);
        var members = new List<KeyValuePair<string, SfMember>>();
        try
        {
            members.AddRange(StructuredFieldParser.ParseDictionaryMembers(StructuredFieldParser.Combine(fieldLines)));
        }
        catch (StructuredFieldException e)
        {
            throw new MessageSignatureException(MessageSignatureError.MalformedSignatureFields, "A signature field is not a valid Dictionary.", e);
        }

        var repeated = members.GroupBy(m => m.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return repeated is null ? members : throw Malformed($"the label '{repeated.Key}' appears more than once");
    }

    private static MessageSignatureException Malformed(string why) =>
        new(MessageSignatureError.MalformedSignatureFields, $"Malformed signature field: {why}.");
}
