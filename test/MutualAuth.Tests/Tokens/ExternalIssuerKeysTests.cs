using System.Text;
using Microsoft.Extensions.Time.Testing;
using MutualAuth.Authentication;
using MutualAuth.Keys;
using MutualAuth.Tokens;

namespace MutualAuth.Tests.Tokens;

/// <summary>
/// An external issuer's keys: metadata naming exactly the issuer (RFC 8414 §3.3), the JWKS it points at, the cache, the
/// rate-limited re-read for an unknown <c>kid</c>, and what a token can never make us fetch.
/// </summary>
public sealed class ExternalIssuerKeysTests : IDisposable
{
    private const string Issuer = "https://idp.example:9443";
    private const string Audience = "https://rs.example";
    private const string JwksUrl = "https://idp.example:9443/jwks";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly SoftwareSigningKey _key1 = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
    private readonly SoftwareSigningKey _key2 = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
    private readonly SoftwareSigningKey _proofKey = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
    private readonly Dictionary<string, string> _documents = new(StringComparer.Ordinal);
    private readonly List<string> _fetched = [];
    private readonly ExternalIssuerKeys _keys;
    private readonly AccessTokenValidator _validator;

    public ExternalIssuerKeysTests()
    {
        _documents[Issuer + "/.well-known/oauth-authorization-server"] = $$"""{"issuer":"{{Issuer}}","jwks_uri":"{{JwksUrl}}","token_endpoint":"{{Issuer}}/token"}""";
        _documents[JwksUrl] = Jwks(TestJws.Jwk(_key1, "k1"));
        _keys = new ExternalIssuerKeys(Issuer, Fetch, _time);
        _validator = new AccessTokenValidator([_keys.AsTrustedIssuer()], Audience, _time);
    }

    public void Dispose()
    {
        _keys.Dispose();
        _key1.Dispose();
        _key2.Dispose();
        _proofKey.Dispose();
    }

    private ValueTask<byte[]?> Fetch(Uri url, CancellationToken cancellationToken)
    {
        _fetched.Add(url.ToString());
        return ValueTask.FromResult(_documents.TryGetValue(url.ToString(), out var body) ? Encoding.UTF8.GetBytes(body) : null);
    }

    private static string Jwks(params string[] keys) => "{\"keys\":[" + string.Join(',', keys) + "]}";

    private string Token(SigningKey key, string kid, string issuer = Issuer) =>
        new AccessTokenIssuer(issuer, key, kid, _time).Issue("svc", Audience, ["read"], TokenConfirmation.Dpop(PublicJwk.ThumbprintOf(_proofKey)));

    [Fact]
    public async Task A_token_of_the_issuer_validates_with_the_keys_its_metadata_points_at_read_once()
    {
        var first = await _validator.ValidateAsync(Token(_key1, "k1"));
        var second = await _validator.ValidateAsync(Token(_key1, "k1"));

        Assert.Equal(ReasonCode.Ok, first.Reason);
        Assert.Equal(ReasonCode.Ok, second.Reason);
        Assert.Equal(Issuer, first.Value!.Issuer);
        Assert.Equal([Issuer + "/.well-known/oauth-authorization-server", JwksUrl], _fetched);
    }

    [Fact]
    public async Task Metadata_naming_another_issuer_gives_no_keys()
    {
        _documents[Issuer + "/.well-known/oauth-authorization-server"] = $$"""{"issuer":"https://evil.example","jwks_uri":"{{JwksUrl}}"}""";

        var result = await _validator.ValidateAsync(Token(_key1, "k1"));

        Assert.Equal(TokenReasons.IssuerUnavailable, result.Reason);
        Assert.DoesNotContain(JwksUrl, _fetched);
    }

    [Fact]
    public async Task A_jwks_uri_that_is_not_https_gives_no_keys()
    {
        _documents[Issuer + "/.well-known/oauth-authorization-server"] = $$"""{"issuer":"{{Issuer}}","jwks_uri":"http://idp.example/jwks"}""";

        Assert.Equal(TokenReasons.IssuerUnavailable, (await _validator.ValidateAsync(Token(_key1, "k1"))).Reason);
    }

    [Fact]
    public async Task OpenID_Connect_discovery_is_read_when_there_is_no_RFC_8414_document()
    {
        _documents[Issuer + "/.well-known/openid-configuration"] = _documents[Issuer + "/.well-known/oauth-authorization-server"];
        _documents.Remove(Issuer + "/.well-known/oauth-authorization-server");

        Assert.Equal(ReasonCode.Ok, (await _validator.ValidateAsync(Token(_key1, "k1"))).Reason);
    }

    [Fact]
    public async Task A_rotated_key_is_found_by_reading_the_jwks_again()
    {
        Assert.Equal(ReasonCode.Ok, (await _validator.ValidateAsync(Token(_key1, "k1"))).Reason);
        _documents[JwksUrl] = Jwks(TestJws.Jwk(_key1, "k1"), TestJws.Jwk(_key2, "k2"));
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(ReasonCode.Ok, (await _validator.ValidateAsync(Token(_key2, "k2"))).Reason);
    }

    [Fact]
    public async Task A_kid_not_in_the_jwks_after_the_refresh_is_refused_and_more_such_tokens_cause_no_read()
    {
        await _validator.ValidateAsync(Token(_key1, "k1"));
        _time.Advance(TimeSpan.FromMinutes(2));
        var readsBefore = _fetched.Count;

        var first = await _validator.ValidateAsync(Token(_key2, "attacker-1"));
        var readsAfterFirst = _fetched.Count;
        for (var i = 0; i < 50; i++)
        {
            await _validator.ValidateAsync(Token(_key2, "attacker-" + i));
        }

        Assert.Equal(TokenReasons.UnknownKey, first.Reason);
        Assert.Equal(readsBefore + 2, readsAfterFirst); // one re-read: metadata and JWKS
        Assert.Equal(readsAfterFirst, _fetched.Count);   // the rate limit: no more within the minute
    }

    [Fact]
    public async Task A_key_of_another_issuer_under_a_known_kid_does_not_verify()
    {
        Assert.Equal(TokenReasons.BadSignature, (await _validator.ValidateAsync(Token(_key2, "k1"))).Reason);
    }

    [Fact]
    public async Task A_token_from_an_issuer_not_configured_is_refused_without_any_read()
    {
        var result = await _validator.ValidateAsync(Token(_key1, "k1", issuer: "https://other.example"));

        Assert.Equal(TokenReasons.WrongIssuer, result.Reason);
        Assert.Empty(_fetched);
    }

    [Fact]
    public async Task A_jku_or_x5u_header_is_refused_and_never_fetched()
    {
        var payload = $$"""{"iss":"{{Issuer}}","sub":"svc","client_id":"svc","aud":"{{Audience}}","jti":"j","iat":1,"exp":9999999999}""";
        foreach (var member in new[] { "jku", "x5u" })
        {
            var token = TestJws.Sign(_key1, "ES256", $$"""{"alg":"ES256","typ":"at+jwt","kid":"k9","{{member}}":"https://evil.example/keys"}""", payload);

            Assert.Equal(TokenReasons.ForbiddenHeader, (await _validator.ValidateAsync(token)).Reason);
        }

        Assert.Empty(_fetched);
    }

    [Fact]
    public async Task A_jwks_with_a_private_key_is_refused_whole_and_encryption_keys_are_skipped()
    {
        Assert.Null(ExternalIssuerKeys.ParseJwks(Encoding.UTF8.GetBytes(Jwks(TestJws.Jwk(_key1, "k1")[..^1] + ",\"d\":\"AAAA\"}"))));
        var mixed = ExternalIssuerKeys.ParseJwks(Encoding.UTF8.GetBytes(Jwks(TestJws.Jwk(_key1, "enc")[..^1] + ",\"use\":\"enc\"}", TestJws.Jwk(_key2, "k2"))));

        Assert.Equal(["k2"], mixed!.Select(k => k.KeyId));
    }

    [Fact]
    public void Documents_over_the_size_limit_are_refused()
    {
        var large = Encoding.UTF8.GetBytes($$"""{"issuer":"{{Issuer}}","jwks_uri":"{{JwksUrl}}","pad":"{{new string('a', ExternalIssuerKeys.MaxDocumentBytes)}}"}""");

        Assert.Null(ExternalIssuerKeys.JwksUri(large, Issuer, out _));
        Assert.Null(ExternalIssuerKeys.ParseJwks(large));
    }

    [Fact]
    public void Metadata_urls_insert_the_well_known_segment_before_the_issuer_path()
    {
        Assert.Equal(
            ["https://idp.example/.well-known/oauth-authorization-server/tenant", "https://idp.example/tenant/.well-known/openid-configuration"],
            ExternalIssuerKeys.MetadataUrls("https://idp.example/tenant").Select(u => u.ToString()));
    }
}
