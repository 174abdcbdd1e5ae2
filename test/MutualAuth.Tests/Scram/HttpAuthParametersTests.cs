using MutualAuth.Scram;

namespace MutualAuth.Tests.Scram;

public sealed class HttpAuthParametersTests
{
    [Fact]
    public void Parses_the_rfc7804_examples_with_unquoted_base64_and_quoted_realms()
    {
        Assert.True(HttpAuthParameters.TryParse("SCRAM-SHA-256 realm=\"testrealm@example.com\", data=biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8K", out var scheme, out var first));
        Assert.True(HttpAuthParameters.TryParse("SCRAM-SHA-256 sid=AAAABBBBCCCCDDDD, data=Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8lEF==", out _, out var final));
        Assert.True(HttpAuthParameters.TryParse("x sid=AAAABBBBCCCCDDDD,data=dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQo=", out _, out var info));

        Assert.Equal("SCRAM-SHA-256", scheme);
        Assert.Equal("testrealm@example.com", first["realm"]);
        Assert.Equal("biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8K", first["data"]);
        Assert.Equal("Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8lEF==", final["data"]);
        Assert.Equal("AAAABBBBCCCCDDDD", info["sid"]);
        Assert.EndsWith("PQo=", info["data"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SCRAM-SHA-256 data=a, data=b")]
    [InlineData("SCRAM-SHA-256 data")]
    [InlineData("SCRAM-SHA-256 realm=\"unterminated")]
    [InlineData("SCRAM-SHA-256 data=a b=c")]
    [InlineData("SCRAM(SHA) data=a")]
    [InlineData("SCRAM-SHA-256 realm=\"a\u0001b\"")]
    public void Refuses_malformed_or_repeated_parameters(string value) =>
        Assert.False(HttpAuthParameters.TryParse(value, out _, out _));

    [Fact]
    public void Refuses_values_longer_than_the_limit() =>
        Assert.False(HttpAuthParameters.TryParse("SCRAM-SHA-256 data=" + new string('A', HttpAuthParameters.MaxLength), out _, out _));

    [Fact]
    public void Formats_what_it_parses_quoting_only_when_needed()
    {
        var text = HttpAuthParameters.Format("SCRAM-SHA-256", ("realm", "my \"realm\""), ("sid", "abc-_"), ("data", "YWJj+/=="));
        var info = HttpAuthParameters.Format("", ("sid", "s"), ("data", "ZA=="));

        Assert.Equal("SCRAM-SHA-256 realm=\"my \\\"realm\\\"\", sid=abc-_, data=YWJj+/==", text);
        Assert.Equal("sid=s, data=ZA==", info);
        Assert.True(HttpAuthParameters.TryParse(text, out _, out var parsed));
        Assert.Equal("my \"realm\"", parsed["realm"]);
        Assert.Equal("YWJj+/==", parsed["data"]);
    }
}
