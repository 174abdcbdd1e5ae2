using MutualAuth.MessageSignatures.StructuredFields;

namespace MutualAuth.Tests.MessageSignatures.StructuredFields;

public sealed class StructuredFieldParserTests
{
    [Fact]
    public void A_value_longer_than_the_limit_is_refused_with_its_code()
    {
        var error = Assert.Throws<StructuredFieldException>(() => StructuredFieldParser.ParseList(new string('a', 101), maxLength: 100));

        Assert.Equal(StructuredFieldError.TooLong, error.Error);
    }

    [Fact]
    public void Combining_field_lines_past_the_limit_is_refused()
    {
        var error = Assert.Throws<StructuredFieldException>(() => StructuredFieldParser.Combine(["aaaa", "bbbb"], maxLength: 8));

        Assert.Equal(StructuredFieldError.TooLong, error.Error);
    }

    [Theory]
    [InlineData("é", StructuredFieldError.NotAscii)]
    [InlineData("1234567890123456", StructuredFieldError.NumberOutOfRange)]
    [InlineData("\"a\\b\"", StructuredFieldError.InvalidCharacter)]
    [InlineData(":a=b:", StructuredFieldError.InvalidBase64)]
    [InlineData("%\"%ff\"", StructuredFieldError.InvalidUtf8)]
    [InlineData("1;", StructuredFieldError.Syntax)]
    // The code is passed as object: StructuredFieldError is internal and a public test method cannot name it.
    public void Parse_failures_carry_an_error_code(string value, object code)
    {
        var error = Assert.Throws<StructuredFieldException>(() => StructuredFieldParser.ParseItem(value));

        Assert.Equal((StructuredFieldError)code, error.Error);
    }

    [Fact]
    public void A_dictionary_round_trips_with_inner_lists_parameters_dates_and_display_strings()
    {
        const string value = "sig1=(\"@method\" \"@path\";req);created=1618884473;keyid=\"k\", d=@1659578233, s=%\"f%c3%bc\", b";

        var dictionary = StructuredFieldParser.ParseDictionary(value);

        Assert.Equal(value, dictionary.ToString());
        var list = Assert.IsType<SfInnerList>(dictionary["sig1"]);
        Assert.Equal(new SfString("@path"), list.Items[1].Value);
        Assert.True(list.Items[1].Parameters.ContainsKey("req"));
        Assert.Equal(new SfInteger(1618884473), list.Parameters["created"]);
        Assert.Equal(new SfDate(1659578233), Assert.IsType<SfItem>(dictionary["d"]).Value);
        Assert.Equal(new SfDisplayString("fü"), Assert.IsType<SfItem>(dictionary["s"]).Value);
        Assert.Equal(SfBareItem.True, Assert.IsType<SfItem>(dictionary["b"]).Value);
    }
}
