using System.Text.Json;
using MutualAuth.MessageSignatures.StructuredFields;
using MutualAuth.Testing;

namespace MutualAuth.Tests.MessageSignatures.StructuredFields;

/// <summary>
/// The HTTP WG's structured-field-tests suite (read from the conformance data folder, not copied): its cases, and the
/// JSON encoding of expected values (__type token, binary as base32, date, displaystring) turned into our model.
/// </summary>
internal static class StructuredFieldSuite
{
    public const string Missing = "(suite missing)";

    public static (string? Folder, string Reason) Find() => ConformanceData.Find("structured-field-tests");

    /// <summary>(file, index, name) of every case of the parsing files, or one placeholder row when the suite is missing.</summary>
    public static TheoryData<string, int, string> ParseCases() => Cases("*.json");

    /// <summary>(file, index, name) of every case of serialisation-tests/*.json, or one placeholder row.</summary>
    public static TheoryData<string, int, string> SerialisationCases() => Cases(Path.Combine("serialisation-tests", "*.json"));

    public static JsonElement Case(string file, int index)
    {
        var (folder, _) = Find();
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder!, file)));
        return document.RootElement[index].Clone();
    }

    public static object Parse(string headerType, string fieldValue) => headerType switch
    {
        "item" => StructuredFieldParser.ParseItem(fieldValue),
        "list" => StructuredFieldParser.ParseList(fieldValue),
        "dictionary" => StructuredFieldParser.ParseDictionary(fieldValue),
        _ => throw new ArgumentOutOfRangeException(nameof(headerType), headerType, "unknown header_type"),
    };

    public static string Serialize(object value) => value switch
    {
        SfItem item => StructuredFieldSerializer.SerializeItem(item),
        SfDictionary dictionary => StructuredFieldSerializer.SerializeDictionary(dictionary),
        IEnumerable<SfMember> list => StructuredFieldSerializer.SerializeList(list),
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    /// <summary>The expected structure of a case as our model: an SfItem, a list of SfMember, or an SfDictionary.</summary>
    public static object Expected(string headerType, JsonElement expected) => headerType switch
    {
        "item" => Item(expected),
        "list" => expected.EnumerateArray().Select(Member).ToList(),
        "dictionary" => new SfDictionary(expected.EnumerateArray().Select(p => new KeyValuePair<string, SfMember>(p[0].GetString()!, Member(p[1])))),
        _ => throw new ArgumentOutOfRangeException(nameof(headerType), headerType, "unknown header_type"),
    };

    private static TheoryData<string, int, string> Cases(string pattern)
    {
        var data = new TheoryData<string, int, string>();
        var (folder, _) = Find();
        if (folder is null)
        {
            data.Add(Missing, -1, Missing);
            return data;
        }

        foreach (var path in Directory.GetFiles(folder, pattern).Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var index = 0;
            foreach (var test in document.RootElement.EnumerateArray())
            {
                data.Add(Path.GetRelativePath(folder, path), index++, test.GetProperty("name").GetString()!);
            }
        }

        return data;
    }

    private static SfMember Member(JsonElement member) =>
        member[0].ValueKind == JsonValueKind.Array
            ? new SfInnerList(member[0].EnumerateArray().Select(Item), Parameters(member[1]))
            : Item(member);

    private static SfItem Item(JsonElement item) => new(BareItem(item[0]), Parameters(item[1]));

    private static SfParameters Parameters(JsonElement parameters) =>
        new(parameters.EnumerateArray().Select(p => new KeyValuePair<string, SfBareItem>(p[0].GetString()!, BareItem(p[1]))));

    private static SfBareItem BareItem(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                var text = value.GetRawText();
                return text.Contains('.', StringComparison.Ordinal) || text.Contains('e', StringComparison.OrdinalIgnoreCase)
                    ? new SfDecimal(value.GetDecimal())
                    : new SfInteger(value.GetInt64());
            case JsonValueKind.String:
                return new SfString(value.GetString()!);
            case JsonValueKind.True:
            case JsonValueKind.False:
                return new SfBoolean(value.GetBoolean());
            case JsonValueKind.Object:
                var inner = value.GetProperty("value");
                return value.GetProperty("__type").GetString() switch
                {
                    "token" => new SfToken(inner.GetString()!),
                    "binary" => new SfByteSequence(Base32.Decode(inner.GetString()!)),
                    "date" => new SfDate(inner.GetInt64()),
                    "displaystring" => new SfDisplayString(inner.GetString()!),
                    var other => throw new InvalidDataException("unknown __type " + other),
                };
            default:
                throw new InvalidDataException("unexpected JSON value " + value.GetRawText());
        }
    }
}
