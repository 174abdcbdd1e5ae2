using MutualAuth.MessageSignatures;

namespace MutualAuth.Tests.MessageSignatures;

public sealed class SignatureFieldsTests
{
    [Fact]
    public void Several_labels_over_several_field_lines_are_read()
    {
        var b21 = RfcVectors.Starting("B.2.1");
        var b22 = RfcVectors.Starting("B.2.2");

        var inputs = SignatureFields.ParseSignatureInput([b21.SignatureInput, b22.SignatureInput]);
        var signatures = SignatureFields.ParseSignature([b21.Signature + ", " + b22.Signature]);

        Assert.Equal(["sig-b21", "sig-b22"], inputs.Select(i => i.Key));
        Assert.Equal(["sig-b21", "sig-b22"], signatures.Select(s => s.Key));
        var b22Parameters = inputs[1].Value;
        Assert.Equal("header-example", b22Parameters.Tag);
        Assert.Equal("test-key-rsa-pss", b22Parameters.KeyId);
        Assert.Equal(1618884473, b22Parameters.Created);
        Assert.Null(b22Parameters.Expires);
        Assert.Equal("b3k2pp5k7z-50gnwp.yemd", inputs[0].Value.Nonce);
        Assert.Equal(b22.SignatureBytes, signatures[1].Value.ToArray());
    }

    [Fact]
    public void Members_are_formatted_as_the_rfc_writes_them()
    {
        var vector = RfcVectors.Starting("B.2.2");
        var parameters = SignatureFields.ParseSignatureInput([vector.SignatureInput])[0].Value;

        Assert.Equal(vector.SignatureInput, SignatureFields.FormatSignatureInput(vector.Label, parameters));
        Assert.Equal(vector.Signature, SignatureFields.FormatSignature(vector.Label, vector.SignatureBytes));
        Assert.Throws<ArgumentException>(() => SignatureFields.FormatSignature("Sig1", vector.SignatureBytes));
    }

    [Fact]
    public void Created_parameters_are_written_in_a_fixed_order_with_alg()
    {
        var parameters = SignatureParameters.Create(
            [ComponentIdentifier.Method, ComponentIdentifier.Field("Content-Digest")],
            created: DateTimeOffset.FromUnixTimeSeconds(1618884473),
            expires: DateTimeOffset.FromUnixTimeSeconds(1618884773),
            nonce: "n1",
            algorithm: HttpSignatureAlgorithm.Ed25519,
            keyId: "k1",
            tag: "mutualauth");

        Assert.Equal(
            "(\"@method\" \"content-digest\");created=1618884473;expires=1618884773;nonce=\"n1\";alg=\"ed25519\";keyid=\"k1\";tag=\"mutualauth\"",
            parameters.ToString());
        Assert.Equal(parameters.ToString(), SignatureParameters.Parse(parameters.ToString()).ToString());
    }

    [Theory]
    [InlineData("sig1=(\"@method\"), sig1=(\"@path\")")]
    [InlineData("sig1=\"not a list\"")]
    [InlineData("sig1=(\"@method\");created=\"yesterday\"")]
    [InlineData("sig1=(@method)")]
    [InlineData("sig1=(\"@method\"")]
    public void Malformed_signature_input_is_refused(string value)
    {
        var error = Assert.Throws<MessageSignatureException>(() => SignatureFields.ParseSignatureInput([value]));

        Assert.Contains(error.Error, new[] { MessageSignatureError.MalformedSignatureFields, MessageSignatureError.InvalidComponentIdentifier });
    }

    [Theory]
    [InlineData("sig1=:AAAA:", "sig1=:BBBB:")]
    [InlineData("sig1=\"AAAA\"", null)]
    [InlineData("sig1=:AA AA:", null)]
    public void Malformed_or_repeated_signatures_are_refused(string first, string? second)
    {
        string[] lines = second is null ? [first] : [first, second];

        Assert.Equal(MessageSignatureError.MalformedSignatureFields, Assert.Throws<MessageSignatureException>(() => SignatureFields.ParseSignature(lines)).Error);
    }
}
