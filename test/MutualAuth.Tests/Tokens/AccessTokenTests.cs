using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MutualAuth.Authentication;
using MutualAuth.Keys;
using MutualAuth.Tokens;

namespace MutualAuth.Tests.Tokens;

public sealed class AccessTokenTests : IDisposable
{
    private const string Issuer = "https://as.example.com";
    private const string Audience = "https://rs.example.com";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly SoftwareSigningKey _asKey = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
    private readonly SoftwareSigningKey _proofKey = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
    private readonly AccessTokenIssuer _issuer;
    private readonly AccessTokenValidator _validator;

    public AccessTokenTests()
    {
        _issuer = new AccessTokenIssuer(Issuer, _asKey, "as-1", _time);
        var keys = new[] { TestJws.Parse(TestJws.Jwk(_asKey, "as-1")) };
        _validator = new AccessTokenValidator(Issuer, Audience, () => keys, _time);
    }

    public void Dispose()
    {
        _asKey.Dispose();
        _proofKey.Dispose();
    }

    private string DpopBound() => _issuer.Issue("svc", Audience, ["read", "write"], TokenConfirmation.Dpop(PublicJwk.ThumbprintOf(_proofKey)));

    [Fact]
    public async Task An_issued_token_validates_with_its_claims()
    {
        var result = await _validator.ValidateAsync(DpopBound());

        Assert.Equal(ReasonCode.Ok, result.Reason);
        Assert.Equal("svc", result.Value!.Subject);
        Assert.Equal("svc", result.Value.ClientId);
        Assert.Equal(["read", "write"], result.Value.Scopes);
        Assert.Equal(PublicJwk.ThumbprintOf(_proofKey), result.Value.Confirmation.JwkThumbprint);
    }

    [Fact]
    public async Task Tokens_validate_with_json_web_token_handler_configured_from_the_jwks_alone()
    {
        // What an independent resource server does: the JWKS document, the issuer, the audience; nothing else.
        var jwks = new JsonWebKeySet("{\"keys\":[" + TestJws.Jwk(_asKey, "as-1") + "]}");
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(DpopBound(), new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = ["ES256"],
            LifetimeValidator = (nbf, exp, _, _) => exp > _time.GetUtcNow().UtcDateTime,
        });

        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task Another_issuer_audience_key_or_an_expired_token_is_refused()
    {
        using var otherKey = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
        var thumb = TokenConfirmation.Dpop("x");
        Assert.Equal(TokenReasons.WrongIssuer, (await _validator.ValidateAsync(new AccessTokenIssuer("https://evil.example", _asKey, "as-1", _time).Issue("svc", Audience, [], thumb))).Reason);
        Assert.Equal(TokenReasons.WrongAudience, (await _validator.ValidateAsync(_issuer.Issue("svc", "https://other.example", [], thumb))).Reason);
        Assert.Equal(TokenReasons.BadSignature, (await _validator.ValidateAsync(new AccessTokenIssuer(Issuer, otherKey, "as-1", _time).Issue("svc", Audience, [], thumb))).Reason);

        var token = _issuer.Issue("svc", Audience, [], thumb);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(TokenReasons.Expired, (await _validator.ValidateAsync(token)).Reason);
    }

    [Fact]
    public async Task A_token_typed_otherwise_or_signed_with_a_header_key_is_refused()
    {
        var payload = $$"""{"iss":"{{Issuer}}","sub":"svc","client_id":"svc","aud":"{{Audience}}","jti":"j","iat":{{_time.GetUtcNow().ToUnixTimeSeconds()}},"exp":{{_time.GetUtcNow().ToUnixTimeSeconds() + 60}}}""";
        Assert.Equal(TokenReasons.WrongType, (await _validator.ValidateAsync(TestJws.Sign(_asKey, "ES256", """{"alg":"ES256","typ":"JWT"}""", payload))).Reason);
        Assert.Equal(TokenReasons.ForbiddenHeader, (await _validator.ValidateAsync(
            TestJws.Sign(_proofKey, "ES256", $$"""{"alg":"ES256","typ":"at+jwt","jwk":{{TestJws.Jwk(_proofKey)}}}""", payload))).Reason);
        Assert.Equal(ReasonCode.Ok, (await _validator.ValidateAsync(TestJws.Sign(_asKey, "ES256", """{"alg":"ES256","typ":"at+jwt","kid":"as-1"}""", payload))).Reason);
    }

    [Fact]
    public async Task A_dpop_bound_token_needs_the_dpop_scheme_and_a_proof_by_its_key()
    {
        var token = (await _validator.ValidateAsync(DpopBound())).Value!;
        var proof = new DpopProof(PublicJwk.ThumbprintOf(_proofKey), "j", _time.GetUtcNow());
        var otherProof = proof with { Thumbprint = "other" };

        Assert.Equal(ReasonCode.Ok, TokenBinding.Check(token, "DPoP", proof, default, allowBearer: false));
        Assert.Equal(TokenReasons.BoundTokenAsBearer, TokenBinding.Check(token, "Bearer", null, default, allowBearer: true));
        Assert.Equal(TokenReasons.MissingProof, TokenBinding.Check(token, "DPoP", null, default, allowBearer: false));
        Assert.Equal(TokenReasons.JktMismatch, TokenBinding.Check(token, "DPoP", otherProof, default, allowBearer: false));
    }

    [Fact]
    public async Task A_certificate_bound_token_needs_that_certificate()
    {
        byte[] certificate = [1, 2, 3], other = [4, 5, 6];
        var token = (await _validator.ValidateAsync(_issuer.Issue("svc", Audience, [], TokenConfirmation.Certificate(certificate)))).Value!;

        Assert.Equal(Base64UrlText.Encode(SHA256.HashData(certificate)), token.Confirmation.CertificateThumbprint);
        Assert.Equal(ReasonCode.Ok, TokenBinding.Check(token, "Bearer", null, certificate, allowBearer: false));
        Assert.Equal(TokenReasons.CertificateMismatch, TokenBinding.Check(token, "Bearer", null, other, allowBearer: false));
        Assert.Equal(TokenReasons.CertificateMismatch, TokenBinding.Check(token, "Bearer", null, default, allowBearer: false));
    }

    [Fact]
    public async Task An_unbound_token_is_accepted_only_where_bearer_is_allowed()
    {
        var token = (await _validator.ValidateAsync(_issuer.Issue("svc", Audience, [], new TokenConfirmation(null, null)))).Value!;

        Assert.Equal(TokenReasons.UnboundToken, TokenBinding.Check(token, "Bearer", null, default, allowBearer: false));
        Assert.Equal(ReasonCode.Ok, TokenBinding.Check(token, "Bearer", null, default, allowBearer: true));
        Assert.Equal(TokenReasons.UnboundToken, TokenBinding.Check(token, "DPoP", null, default, allowBearer: true));
    }

    [Fact]
    public async Task A_malformed_cnf_is_refused()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var payload = $$$"""{"iss":"{{{Issuer}}}","sub":"svc","client_id":"svc","aud":"{{{Audience}}}","jti":"j","iat":{{{now}}},"exp":{{{now + 60}}},"cnf":{"jkt":5}}""";
        Assert.Equal(TokenReasons.MalformedToken, (await _validator.ValidateAsync(TestJws.Sign(_asKey, "ES256", """{"alg":"ES256","typ":"at+jwt"}""", payload))).Reason);
    }
}
