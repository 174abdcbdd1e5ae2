using MutualAuth.MessageSignatures;
using MutualAuth.MessageSignatures.StructuredFields;

namespace MutualAuth.Tests.MessageSignatures;

public sealed class SignatureBaseTests
{
    private static readonly HttpMessageComponents FieldsExample = HttpMessageComponents.ForRequest(
        "GET",
        new Uri("https://www.example.com/path?param=value"),
        [
            new("Host", "www.example.com"),
            new("X-OWS-Header", "   Leading and trailing whitespace.   "),
            new("Cache-Control", "max-age=60"),
            new("Cache-Control", "   must-revalidate"),
            new("Example-Dict", " a=1,    b=2;x=1;y=2,   c=(a   b   c), d"),
            new("X-Empty-Header", ""),
            new("Example-Header", "value, with, lots"),
            new("Example-Header", "of, commas"),
        ]);

    private static readonly StructuredFieldTypes ExampleTypes = StructuredFieldTypes.Default.With("example-dict", StructuredFieldType.Dictionary);

    [Theory]
    [MemberData(nameof(RfcVectors.Names), MemberType = typeof(RfcVectors))]
    public void The_rfc_signature_base_is_reproduced_exactly(string name)
    {
        var vector = RfcVectors.Named(name);
        var parameters = SignatureParameters.Parse(vector.SignatureInput[(vector.Label.Length + 1)..]);

        Assert.Equal(vector.Base, SignatureBase.Create(RfcMessages.For(vector.Message), parameters));
    }

    [Theory]
    [InlineData("cache-control", "max-age=60, must-revalidate")]
    [InlineData("x-empty-header", "")]
    [InlineData("x-ows-header", "Leading and trailing whitespace.")]
    [InlineData("example-dict", "a=1,    b=2;x=1;y=2,   c=(a   b   c), d")]
    public void Field_lines_are_trimmed_and_combined(string field, string expected) =>
        Assert.Equal(expected, SignatureBase.ComponentValue(FieldsExample, ComponentIdentifier.Field(field)));

    [Fact]
    public void Sf_reserialises_a_known_structured_field_and_refuses_an_unknown_one()
    {
        var component = ComponentIdentifier.Field("example-dict").AsStructured();

        Assert.Equal("a=1, b=2;x=1;y=2, c=(a b c), d", SignatureBase.ComponentValue(FieldsExample, component, ExampleTypes));
        Assert.Equal("\"example-dict\";sf", component.ToString());
        var error = Assert.Throws<MessageSignatureException>(() => SignatureBase.ComponentValue(FieldsExample, component));
        Assert.Equal(MessageSignatureError.InvalidComponentIdentifier, error.Error);
    }

    [Theory]
    [InlineData("a", "1")]
    [InlineData("b", "2;x=1;y=2")]
    [InlineData("c", "(a b c)")]
    [InlineData("d", "?1")]
    public void Key_picks_one_dictionary_member(string key, string expected) =>
        Assert.Equal(expected, SignatureBase.ComponentValue(FieldsExample, ComponentIdentifier.Field("example-dict").WithKey(key)));

    [Fact]
    public void Key_naming_an_absent_member_is_a_missing_component()
    {
        var error = Assert.Throws<MessageSignatureException>(() => SignatureBase.ComponentValue(FieldsExample, ComponentIdentifier.Field("example-dict").WithKey("z")));

        Assert.Equal(MessageSignatureError.MissingComponent, error.Error);
    }

    [Fact]
    public void Bs_wraps_each_field_line_as_a_byte_sequence()
    {
        var component = ComponentIdentifier.Field("example-header").AsByteSequence();

        Assert.Equal(":dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:", SignatureBase.ComponentValue(FieldsExample, component));
        Assert.Throws<MessageSignatureException>(() => component.AsStructured());
    }

    [Theory]
    [InlineData("@method", "GET")]
    [InlineData("@target-uri", "https://www.example.com/path?param=value")]
    [InlineData("@authority", "www.example.com")]
    [InlineData("@scheme", "https")]
    [InlineData("@request-target", "/path?param=value")]
    [InlineData("@path", "/path")]
    [InlineData("@query", "?param=value")]
    public void Derived_components_of_a_request(string name, string expected) =>
        Assert.Equal(expected, SignatureBase.ComponentValue(FieldsExample, new ComponentIdentifier(name)));

    [Theory]
    [InlineData("https://Example.COM:443/", "example.com")]
    [InlineData("http://example.com:80/", "example.com")]
    [InlineData("https://example.com:8443/", "example.com:8443")]
    [InlineData("http://[2001:DB8::1]:8080/", "[2001:db8::1]:8080")]
    public void Authority_is_lower_case_without_the_default_port(string uri, string expected) =>
        Assert.Equal(expected, SignatureBase.ComponentValue(HttpMessageComponents.ForRequest("GET", new Uri(uri), []), ComponentIdentifier.Authority));

    [Fact]
    public void An_absent_query_is_a_lone_question_mark() =>
        Assert.Equal("?", SignatureBase.ComponentValue(HttpMessageComponents.ForRequest("GET", new Uri("https://example.com/a"), []), ComponentIdentifier.Query));

    [Theory]
    [InlineData("?param=value&foo=bar&baz=batman&qux=", "baz", "batman")]
    [InlineData("?param=value&foo=bar&baz=batman&qux=", "qux", "")]
    [InlineData("?var=this%20is%20a%20big%0Avalue&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something", "var", "this%20is%20a%20big%0Avalue")]
    [InlineData("?var=this%20is%20a%20big%0Avalue&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something", "bar", "with%20plus%20whitespace")]
    [InlineData("?var=this%20is%20a%20big%0Avalue&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something", "fa%C3%A7ade%22%3A%20", "something")]
    public void Query_param_decodes_and_reencodes(string query, string name, string expected)
    {
        var message = HttpMessageComponents.ForRequest("GET", new Uri("https://example.com/path" + query), []);

        Assert.Equal(expected, SignatureBase.ComponentValue(message, ComponentIdentifier.QueryParameter(name)));
    }

    [Fact]
    public void Query_param_refuses_a_missing_or_repeated_parameter()
    {
        var message = HttpMessageComponents.ForRequest("GET", new Uri("https://example.com/?a=1&a=2"), []);

        Assert.Equal(MessageSignatureError.MissingComponent, Assert.Throws<MessageSignatureException>(() => SignatureBase.ComponentValue(message, ComponentIdentifier.QueryParameter("b"))).Error);
        Assert.Equal(MessageSignatureError.InvalidComponentValue, Assert.Throws<MessageSignatureException>(() => SignatureBase.ComponentValue(message, ComponentIdentifier.QueryParameter("a"))).Error);
        Assert.Throws<MessageSignatureException>(() => new ComponentIdentifier("@query-param"));
    }

    [Fact]
    public void A_component_listed_twice_is_refused_even_with_parameters_reordered()
    {
        var response = RfcMessages.Response();
        var twice = SignatureParameters.Create([ComponentIdentifier.Status, ComponentIdentifier.Status]);
        var reordered = SignatureParameters.Parse("(\"content-digest\";req;key=\"sha-512\" \"content-digest\";key=\"sha-512\";req)");

        Assert.Equal(MessageSignatureError.DuplicateComponent, Assert.Throws<MessageSignatureException>(() => SignatureBase.Create(response, twice)).Error);
        Assert.Equal(MessageSignatureError.DuplicateComponent, Assert.Throws<MessageSignatureException>(() => SignatureBase.Create(response, reordered)).Error);
    }

    [Fact]
    public void Req_reads_the_related_request_from_a_response()
    {
        var response = RfcMessages.Response();
        var parameters = SignatureParameters.Create([ComponentIdentifier.Status, ComponentIdentifier.Method.OfRequest(), ComponentIdentifier.Field("content-digest").OfRequest()]);

        var signatureBase = SignatureBase.Create(response, parameters);

        Assert.StartsWith("\"@status\": 200\n\"@method\";req: POST\n\"content-digest\";req: sha-512=:WZDPaVn", signatureBase, StringComparison.Ordinal);
        Assert.EndsWith("\"@signature-params\": (\"@status\" \"@method\";req \"content-digest\";req)", signatureBase, StringComparison.Ordinal);
        var unbound = HttpMessageComponents.ForResponse(200, []);
        Assert.Equal(MessageSignatureError.MissingComponent, Assert.Throws<MessageSignatureException>(() => SignatureBase.Create(unbound, parameters)).Error);
        Assert.Equal(MessageSignatureError.InvalidComponentIdentifier, Assert.Throws<MessageSignatureException>(() => SignatureBase.ComponentValue(RfcMessages.Request(), ComponentIdentifier.Method.OfRequest())).Error);
    }

    [Fact]
    public void Missing_components_and_request_only_components_on_a_response_are_refused()
    {
        Assert.Equal(MessageSignatureError.MissingComponent, Assert.Throws<MessageSignatureException>(() => SignatureBase.ComponentValue(RfcMessages.Request(), ComponentIdentifier.Field("x-absent"))).Error);
        Assert.Equal(MessageSignatureError.MissingComponent, Assert.Throws<MessageSignatureException>(() => SignatureBase.ComponentValue(RfcMessages.Response(), ComponentIdentifier.Method)).Error);
        Assert.Equal(MessageSignatureError.MissingComponent, Assert.Throws<MessageSignatureException>(() => SignatureBase.ComponentValue(RfcMessages.Request(), ComponentIdentifier.Status)).Error);
    }

    [Theory]
    [InlineData("\"Content-Type\"")]
    [InlineData("\"@unknown\"")]
    [InlineData("\"@method\";sf")]
    [InlineData("\"date\";foo")]
    [InlineData("\"date\";key=1")]
    [InlineData("date")]
    public void Invalid_component_identifiers_are_refused(string text) =>
        Assert.Equal(MessageSignatureError.InvalidComponentIdentifier, Assert.Throws<MessageSignatureException>(() => ComponentIdentifier.Parse(text)).Error);

    [Fact]
    public void A_field_value_with_a_line_break_cannot_enter_a_signature_base()
    {
        var message = HttpMessageComponents.ForRequest("GET", new Uri("https://example.com/"), [new("x-evil", "a\n\"@method\": GET")]);

        Assert.Equal(MessageSignatureError.InvalidComponentValue, Assert.Throws<MessageSignatureException>(() => SignatureBase.ComponentValue(message, ComponentIdentifier.Field("x-evil"))).Error);
    }
}
