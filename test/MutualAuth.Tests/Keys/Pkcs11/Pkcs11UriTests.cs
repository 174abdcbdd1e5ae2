using MutualAuth.Keys.Pkcs11;

namespace MutualAuth.Tests.Keys.Pkcs11;

public sealed class Pkcs11UriTests
{
    [Fact]
    public void Parses_token_object_id_and_type()
    {
        var uri = Pkcs11Uri.Parse("pkcs11:token=My%20Card;object=alice;id=%01%02;type=private?pin-source=file:/run/pin");
        Assert.Equal("My Card", uri.Token);
        Assert.Equal("alice", uri.Object);
        Assert.Equal(new byte[] { 1, 2 }, uri.Id);
        Assert.Equal("private", uri.Type);
        Assert.Equal("file:/run/pin", uri.PinSource);
        Assert.Equal("pkcs11:token=My%20Card;object=alice;id=%01%02;type=private?pin-source=file%3A%2Frun%2Fpin", uri.ToString());
        Assert.Equal("pkcs11:token=My%20Card;object=alice;id=%01%02;type=cert", uri.ForEngine("cert"));
    }

    [Theory]
    [InlineData("pkcs11:token=a;object=k?pin-value=1234")]
    [InlineData("pkcs11:token=a;pin-value=1234")]
    [InlineData("pkcs11:token=a;token=b")]
    [InlineData("pkcs11:token=a;object=k;type=secret-key")]
    [InlineData("pkcs11:token=a;slot-id=1")]
    [InlineData("pkcs11:token=a b")]
    [InlineData("pkcs11:token=%zz")]
    [InlineData("pkcs11:token")]
    [InlineData("pkcs11:Token=a")]
    [InlineData("file:/key.pem")]
    public void Refuses_what_the_grammar_or_policy_does_not_allow(string text)
    {
        var e = Assert.Throws<FormatException>(() => Pkcs11Uri.Parse(text));
        Assert.DoesNotContain("1234", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pin_value_is_refused_with_where_to_give_the_pin_instead()
    {
        var e = Assert.Throws<FormatException>(() => Pkcs11Uri.Parse("pkcs11:token=a;object=k?pin-value=secret1"));
        Assert.Contains("--pin-file", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret1", e.Message, StringComparison.Ordinal);
    }
}
