using System.Text;
using MutualAuth.MessageSignatures;

namespace MutualAuth.Tests.MessageSignatures;

public sealed class ContentDigestTests
{
    [Theory]
    [InlineData("test-request.http")]
    [InlineData("test-response.http")]
    public void The_rfc_messages_content_digests_match_their_bodies(string file)
    {
        var message = RfcMessages.Parse(RfcVectors.Read(file), RfcMessages.Request());
        var body = RfcMessages.Body(file);

        Assert.Equal(ContentDigestResult.Valid, ContentDigest.Verify(message, body));
        Assert.Equal(message.FieldLines("content-digest")![0].Trim(), ContentDigest.Create(body));
    }

    [Fact]
    public void Sha256_is_created_and_checked()
    {
        var body = Encoding.UTF8.GetBytes("{\"hello\": \"world\"}");
        var value = ContentDigest.Create(body, ContentDigestAlgorithm.Sha256);

        Assert.Equal("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", value);
        Assert.Equal(ContentDigestResult.Valid, ContentDigest.Verify([value], body));
        Assert.Equal(ContentDigestResult.Valid, ContentDigest.Verify([ContentDigest.Create(body, [ContentDigestAlgorithm.Sha256, ContentDigestAlgorithm.Sha512])], body));
    }

    [Fact]
    public void A_changed_body_is_a_mismatch_even_when_another_digest_matches()
    {
        var body = "{\"hello\": \"world\"}"u8.ToArray();
        var good = ContentDigest.Create(body, ContentDigestAlgorithm.Sha512);
        var bad = ContentDigest.Create("{\"hello\": \"there\"}"u8, ContentDigestAlgorithm.Sha256);

        Assert.Equal(ContentDigestResult.Mismatch, ContentDigest.Verify([good], "{\"hello\": \"there\"}"u8));
        Assert.Equal(ContentDigestResult.Mismatch, ContentDigest.Verify([good, bad], body));
    }

    [Theory]
    [InlineData(null, ContentDigestResult.Missing)]
    [InlineData("md5=:AAAA:, unixsum=:AAAA:", ContentDigestResult.NoKnownAlgorithm)]
    [InlineData("sha-256=\"X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\"", ContentDigestResult.Malformed)]
    [InlineData("sha-256=:X48E9q", ContentDigestResult.Malformed)]
    [InlineData("md5=:AAAA:, sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", ContentDigestResult.Valid)]
    public void Unknown_algorithms_are_ignored_but_one_known_is_required(string? value, ContentDigestResult expected) =>
        Assert.Equal(expected, ContentDigest.Verify(value is null ? null : [value], "{\"hello\": \"world\"}"u8));

    [Theory]
    [InlineData(ContentDigestResult.Missing, "content-digest-missing")]
    [InlineData(ContentDigestResult.Malformed, "content-digest-malformed")]
    [InlineData(ContentDigestResult.NoKnownAlgorithm, "content-digest-no-known-algorithm")]
    [InlineData(ContentDigestResult.Mismatch, "content-digest-mismatch")]
    public void Each_failure_has_a_stable_kebab_case_reason_code(ContentDigestResult result, string code) =>
        Assert.Equal(code, ContentDigest.ReasonCode(result));

    [Fact]
    public void A_valid_digest_has_no_reason_code() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ContentDigest.ReasonCode(ContentDigestResult.Valid));
}
