using MutualAuth.MessageSignatures;

namespace MutualAuth.Tests.MessageSignatures;

/// <summary>RFC 9421 Appendix B.4: transformations an intermediary may make keep the signature valid; others break it.</summary>
public sealed class TransformationTests
{
    private const string Date = "Date: Fri, 15 Jul 2022 14:24:55 GMT\n";

    [Theory]
    [InlineData("GET /demo?name1=Value1&Name2=value2 HTTP/1.1\nHost: example.org\n" + Date + "Accept: application/json\nAccept: */*\n")]
    [InlineData("GET /demo?name1=Value1&Name2=value2 HTTP/1.1\nHost: example.org\n" + Date + "X-Forwarded-For: 192.0.2.123\nContent-Length: 0\nAccept: application/json, */*\n")]
    [InlineData("GET /demo?Name2=value2&name1=Value1 HTTP/1.1\nHost: EXAMPLE.ORG\nAccept:   application/json, */*  \n" + Date)]
    public void Allowed_transformations_still_verify(string message) =>
        Assert.Equal(SignatureVerificationFailure.None, Verify(message));

    [Theory]
    [InlineData("POST /demo?name1=Value1&Name2=value2 HTTP/1.1\nHost: example.org\n" + Date + "Accept: application/json\nAccept: */*\n")]
    [InlineData("GET /demo?name1=Value1&Name2=value2 HTTP/1.1\nHost: example.com\n" + Date + "Accept: application/json\nAccept: */*\n")]
    [InlineData("GET /other?name1=Value1&Name2=value2 HTTP/1.1\nHost: example.org\n" + Date + "Accept: application/json\nAccept: */*\n")]
    [InlineData("GET /demo?name1=Value1&Name2=value2 HTTP/1.1\nHost: example.org\n" + Date + "Accept: */*\nAccept: application/json\n")]
    public void Other_changes_break_the_signature(string message) =>
        Assert.Equal(SignatureVerificationFailure.BadSignature, Verify(message));

    private static SignatureVerificationFailure Verify(string text)
    {
        var vector = RfcVectors.Starting("B.4");
        var message = RfcMessages.Parse(text).WithField("Signature-Input", vector.SignatureInput).WithField("Signature", vector.Signature);
        using var key = RfcVectors.PublicKey(vector.KeyId, vector.Algorithm);
        var verifier = new MessageVerifier(_ => key, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1618884473)));
        return verifier.Verify(message, new SignatureVerificationPolicy { Label = "transform" }).Failure;
    }
}
