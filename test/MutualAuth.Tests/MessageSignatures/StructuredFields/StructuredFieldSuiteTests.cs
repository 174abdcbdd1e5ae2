using MutualAuth.MessageSignatures.StructuredFields;

namespace MutualAuth.Tests.MessageSignatures.StructuredFields;

/// <summary>
/// Every case of the HTTP WG's structured-field-tests: parsing (must_fail, can_fail, canonical, several raw field lines
/// joined with ", ") and serialisation. Skipped, with the reason, where the suite is not on the machine.
/// </summary>
public sealed class StructuredFieldSuiteTests
{
    [SkippableTheory]
    [MemberData(nameof(StructuredFieldSuite.ParseCases), MemberType = typeof(StructuredFieldSuite))]
    public void Parses_and_reserialises_the_suite_case(string file, int index, string name)
    {
        var (folder, reason) = StructuredFieldSuite.Find();
        Skip.If(folder is null, reason);
        var test = StructuredFieldSuite.Case(file, index);
        Assert.Equal(name, test.GetProperty("name").GetString());
        var headerType = test.GetProperty("header_type").GetString()!;
        var raw = test.GetProperty("raw").EnumerateArray().Select(r => r.GetString()!).ToList();
        var mustFail = test.TryGetProperty("must_fail", out var f) && f.GetBoolean();
        var canFail = test.TryGetProperty("can_fail", out var c) && c.GetBoolean();

        object parsed;
        try
        {
            parsed = StructuredFieldSuite.Parse(headerType, StructuredFieldParser.Combine(raw));
        }
        catch (StructuredFieldException) when (mustFail || canFail)
        {
            return;
        }

        Assert.False(mustFail, $"'{name}' must fail to parse");
        var expected = StructuredFieldSuite.Expected(headerType, test.GetProperty("expected"));
        AssertSameStructure(expected, parsed);

        var canonical = test.TryGetProperty("canonical", out var canon) ? canon.EnumerateArray().Select(x => x.GetString()!).ToList() : raw;
        Assert.Equal(string.Join(", ", canonical), StructuredFieldSuite.Serialize(parsed));
        Assert.Equal(string.Join(", ", canonical), StructuredFieldSuite.Serialize(expected));
    }

    [SkippableTheory]
    [MemberData(nameof(StructuredFieldSuite.SerialisationCases), MemberType = typeof(StructuredFieldSuite))]
    public void Serialises_the_suite_case(string file, int index, string name)
    {
        var (folder, reason) = StructuredFieldSuite.Find();
        Skip.If(folder is null, reason);
        var test = StructuredFieldSuite.Case(file, index);
        Assert.Equal(name, test.GetProperty("name").GetString());
        var headerType = test.GetProperty("header_type").GetString()!;
        var value = StructuredFieldSuite.Expected(headerType, test.GetProperty("expected"));

        if (test.TryGetProperty("must_fail", out var f) && f.GetBoolean())
        {
            Assert.Throws<StructuredFieldException>(() => StructuredFieldSuite.Serialize(value));
            return;
        }

        var canonical = test.GetProperty("canonical").EnumerateArray().Select(x => x.GetString()!);
        Assert.Equal(string.Join(", ", canonical), StructuredFieldSuite.Serialize(value));
    }

    [SkippableFact]
    public void The_whole_suite_is_enumerated()
    {
        var (folder, reason) = StructuredFieldSuite.Find();
        Skip.If(folder is null, reason);

        Assert.True(StructuredFieldSuite.ParseCases().Count > 1500, "too few parsing cases were read");
        Assert.True(StructuredFieldSuite.SerialisationCases().Count > 100, "too few serialisation cases were read");
    }

    private static void AssertSameStructure(object expected, object actual)
    {
        if (expected is List<SfMember> list)
        {
            Assert.Equal(list, Assert.IsAssignableFrom<IReadOnlyList<SfMember>>(actual));
        }
        else
        {
            Assert.Equal(expected, actual);
        }
    }
}
