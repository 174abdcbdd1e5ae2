using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using MutualAuth.Authentication;
using MutualAuth.Keys;
using MutualAuth.Tokens;

namespace MutualAuth.Tests.Tokens;

public sealed class DpopProofValidatorTests : IDisposable
{
    private static readonly Uri Token = new("https://as.example.com/oauth/token");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly SoftwareSigningKey _key = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
    private readonly SoftwareSigningKey _otherKey = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
    private readonly SingleUse _replay = TestJws.Memory();

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
    }

    private DpopProofValidator Validator(DpopNonces? nonces = null) =>
        new(new DpopValidationOptions { Nonces = nonces }, _replay, _time);

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    private string Proof(string? header = null, string? payload = null, SigningKey? key = null)
    {
        key ??= _key;
        header ??= $$"""{"typ":"dpop+jwt","alg":"ES256","jwk":{{TestJws.Jwk(key)}}}""";
        payload ??= $$"""{"jti":"{{Guid.NewGuid():N}}","htm":"POST","htu":"https://as.example.com/oauth/token","iat":{{Now}}}""";
        return TestJws.Sign(key, "ES256", header, payload);
    }

    private async Task<ReasonCode> Check(string proof, string method = "POST", Uri? uri = null, string? accessToken = null) =>
        (await Validator().ValidateAsync([proof], new DpopRequest(method, uri ?? Token, accessToken))).Reason;

    [Fact]
    public async Task A_proof_from_the_factory_is_accepted_with_the_key_thumbprint()
    {
        var factory = new DpopProofFactory(_key, _time);
        var result = await Validator().ValidateAsync([factory.Create("POST", Token)], new DpopRequest("POST", Token));

        Assert.Equal(ReasonCode.Ok, result.Reason);
        Assert.Equal(factory.Thumbprint, result.Value!.Thumbprint);
    }

    [Fact]
    public async Task No_proof_and_two_proofs_are_refused()
    {
        Assert.Equal(TokenReasons.MissingProof, (await Validator().ValidateAsync([], new DpopRequest("POST", Token))).Reason);
        Assert.Equal(TokenReasons.MultipleProofs, (await Validator().ValidateAsync([Proof(), Proof()], new DpopRequest("POST", Token))).Reason);
        Assert.Equal(TokenReasons.MultipleProofs, (await Validator().ValidateAsync([Proof() + "," + Proof()], new DpopRequest("POST", Token))).Reason);
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("at+jwt")]
    [InlineData(null)]
    public async Task Another_typ_is_refused(string? typ)
    {
        var typMember = typ is null ? "" : $"\"typ\":\"{typ}\",";
        Assert.Equal(TokenReasons.WrongType, await Check(Proof($$"""{{{typMember}}"alg":"ES256","jwk":{{TestJws.Jwk(_key)}}}""")));
    }

    [Fact]
    public async Task Alg_none_is_refused()
    {
        var payload = $$"""{"jti":"x","htm":"POST","htu":"https://as.example.com/oauth/token","iat":{{Now}}}""";
        var unsigned = TestJws.B64($$"""{"typ":"dpop+jwt","alg":"none","jwk":{{TestJws.Jwk(_key)}}}""") + "." + TestJws.B64(payload) + ".";
        Assert.Equal(TokenReasons.MalformedToken, await Check(unsigned));
        Assert.Equal(TokenReasons.AlgorithmNotAllowed, await Check(unsigned + "AAAA"));
    }

    [Fact]
    public async Task Hs256_keyed_with_the_public_key_is_refused()
    {
        // The classic confusion attack: HMAC with the public key's bytes as the secret.
        var jwk = TestJws.Jwk(_key);
        var input = TestJws.B64($$"""{"typ":"dpop+jwt","alg":"HS256","jwk":{{jwk}}}""") + "."
            + TestJws.B64($$"""{"jti":"x","htm":"POST","htu":"https://as.example.com/oauth/token","iat":{{Now}}}""");
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(jwk), Encoding.ASCII.GetBytes(input));

        Assert.Equal(TokenReasons.AlgorithmNotAllowed, await Check(input + "." + Base64UrlText.Encode(mac)));
    }

    [Fact]
    public async Task A_jwk_with_private_members_is_refused()
    {
        var d = Base64UrlText.Encode(((System.Security.Cryptography.ECDsa)_key.Key!).ExportParameters(true).D);
        var jwk = TestJws.Jwk(_key).TrimEnd('}') + $",\"d\":\"{d}\"}}";
        Assert.Equal(TokenReasons.PrivateJwk, await Check(Proof($$"""{"typ":"dpop+jwt","alg":"ES256","jwk":{{jwk}}}""")));
    }

    [Theory]
    [InlineData("\"crit\":[\"exp\"],", "unknown-critical-header")]
    [InlineData("\"jku\":\"https://attacker.example/jwks\",", "forbidden-header")]
    [InlineData("\"x5u\":\"https://attacker.example/cert\",", "forbidden-header")]
    [InlineData("\"kid\":\"../../../dev/null\\u0000\",", "invalid-key-id")]
    public async Task Crit_and_key_injection_headers_are_refused(string member, string reason) =>
        Assert.Equal(reason, (await Check(Proof($$"""{{{member}}"typ":"dpop+jwt","alg":"ES256","jwk":{{TestJws.Jwk(_key)}}}"""))).Value);

    [Fact]
    public async Task Duplicate_members_are_refused_in_header_and_payload()
    {
        Assert.Equal(TokenReasons.DuplicateMember, await Check(Proof($$"""{"typ":"dpop+jwt","alg":"ES256","alg":"ES256","jwk":{{TestJws.Jwk(_key)}}}""")));
        Assert.Equal(TokenReasons.DuplicateMember, await Check(Proof(payload: $$"""{"jti":"a","htm":"POST","htm":"GET","htu":"https://as.example.com/oauth/token","iat":{{Now}}}""")));
    }

    [Fact]
    public async Task An_oversized_proof_is_refused_before_parsing() =>
        Assert.Equal(TokenReasons.TokenTooLarge, await Check(new string('a', 5000) + ".b.c"));

    [Fact]
    public async Task A_signature_by_another_key_than_the_jwk_is_refused()
    {
        var header = $$"""{"typ":"dpop+jwt","alg":"ES256","jwk":{{TestJws.Jwk(_key)}}}""";
        Assert.Equal(TokenReasons.BadSignature, await Check(Proof(header, key: _otherKey)));
    }

    [Theory]
    [InlineData("GET", "https://as.example.com/oauth/token", "htm-mismatch")]
    [InlineData("post", "https://as.example.com/oauth/token", "htm-mismatch")]
    [InlineData("POST", "http://as.example.com/oauth/token", "htu-mismatch")]
    [InlineData("POST", "https://as.example.com/oauth/token/", "htu-mismatch")]
    [InlineData("POST", "https://as.example.com:8443/oauth/token", "htu-mismatch")]
    [InlineData("POST", "https://other.example.com/oauth/token", "htu-mismatch")]
    [InlineData("POST", "https://as.example.com/oauth/Token", "htu-mismatch")]
    [InlineData("POST", "https://AS.Example.COM/oauth/token", "ok")]
    [InlineData("POST", "HTTPS://as.example.com:443/oauth/token", "ok")]
    [InlineData("POST", "https://as.example.com/oauth/./x/../token", "ok")]
    [InlineData("POST", "https://as.example.com/oauth/%74oken", "ok")]
    [InlineData("POST", "https://as.example.com/oauth/token?q=1", "ok")]
    [InlineData("POST", "https://as.example.com/oauth/token#f", "ok")]
    public async Task Htm_and_htu_are_compared_after_normalisation(string htm, string htu, string reason)
    {
        // RFC 9449 §4.3: htu is compared ignoring query and fragment; RFC 3986 §6.2.2–6.2.3 normalisation on both sides.
        var payload = $$"""{"jti":"{{Guid.NewGuid():N}}","htm":"{{htm}}","htu":"{{htu}}","iat":{{Now}}}""";
        Assert.Equal(reason, (await Check(Proof(payload: payload))).Value);
    }

    [Fact]
    public async Task The_request_uri_is_normalised_too()
    {
        Assert.Equal(ReasonCode.Ok, await Check(Proof(), uri: new Uri("https://AS.example.com:443/oauth/token?x=y")));
        Assert.Equal(TokenReasons.HtuMismatch, await Check(Proof(), uri: new Uri("https://as.example.com:8443/oauth/token")));
    }

    [Theory]
    [InlineData(-61, "iat-out-of-window")]
    [InlineData(-59, "ok")]
    [InlineData(4, "ok")]
    [InlineData(6, "iat-out-of-window")]
    [InlineData(3600, "iat-out-of-window")]
    public async Task Iat_must_lie_in_the_window_both_ways(int offset, string reason)
    {
        var payload = $$"""{"jti":"{{Guid.NewGuid():N}}","htm":"POST","htu":"https://as.example.com/oauth/token","iat":{{Now + offset}}}""";
        Assert.Equal(reason, (await Check(Proof(payload: payload))).Value);
    }

    [Fact]
    public async Task Missing_claims_are_refused() =>
        Assert.Equal(TokenReasons.MissingClaim, await Check(Proof(payload: $$"""{"htm":"POST","htu":"https://as.example.com/oauth/token","iat":{{Now}}}""")));

    [Fact]
    public async Task A_replayed_jti_is_refused_but_the_same_jti_from_another_key_is_accepted()
    {
        var payload = $$"""{"jti":"once","htm":"POST","htu":"https://as.example.com/oauth/token","iat":{{Now}}}""";
        Assert.Equal(ReasonCode.Ok, await Check(Proof(payload: payload)));
        Assert.Equal(TokenReasons.ReplayedJti, await Check(Proof(payload: payload)));

        var otherHeader = $$"""{"typ":"dpop+jwt","alg":"ES256","jwk":{{TestJws.Jwk(_otherKey)}}}""";
        Assert.Equal(ReasonCode.Ok, await Check(Proof(otherHeader, payload, _otherKey)));
    }

    [Fact]
    public async Task With_server_nonces_a_proof_needs_a_current_nonce()
    {
        var nonces = new DpopNonces(RandomNumberGenerator.GetBytes(32), TimeSpan.FromMinutes(1), _time);
        var validator = Validator(nonces);
        var factory = new DpopProofFactory(_key, _time);
        var request = new DpopRequest("POST", Token);

        Assert.Equal(TokenReasons.NonceRequired, (await validator.ValidateAsync([factory.Create("POST", Token)], request)).Reason);
        Assert.Equal(TokenReasons.NonceRequired, (await validator.ValidateAsync([factory.Create("POST", Token, nonce: "forged")], request)).Reason);

        var nonce = nonces.Current();
        Assert.Equal(ReasonCode.Ok, (await validator.ValidateAsync([factory.Create("POST", Token, nonce: nonce)], request)).Reason);

        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.False(nonces.IsValid(nonce));
        Assert.Equal(TokenReasons.NonceRequired, (await validator.ValidateAsync([factory.Create("POST", Token, nonce: nonce)], request)).Reason);
    }

    [Fact]
    public async Task At_the_resource_ath_must_be_the_hash_of_the_access_token()
    {
        var factory = new DpopProofFactory(_key, _time);
        var api = new Uri("https://rs.example.com/api");

        Assert.Equal(ReasonCode.Ok, await Check(factory.Create("GET", api, "token-a"), "GET", api, "token-a"));
        Assert.Equal(TokenReasons.AthMissing, await Check(factory.Create("GET", api), "GET", api, "token-a"));
        Assert.Equal(TokenReasons.AthMismatch, await Check(factory.Create("GET", api, "token-b"), "GET", api, "token-a"));
    }

    [Fact]
    public async Task A_jwk_that_does_not_fit_the_alg_is_refused()
    {
        using var p384 = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP384);
        var header = $$"""{"typ":"dpop+jwt","alg":"ES256","jwk":{{TestJws.Jwk(p384)}}}""";
        Assert.Equal(TokenReasons.AlgorithmNotAllowed, await Check(Proof(header)));
    }

    [Fact]
    public async Task Rsa_and_ed25519_proofs_are_accepted()
    {
        var rsa = TestJws.Rsa;
        using var ed = Ed25519SigningKey.Generate();
        Assert.Equal(ReasonCode.Ok, await Check(new DpopProofFactory(rsa, _time).Create("POST", Token)));
        Assert.Equal(ReasonCode.Ok, await Check(new DpopProofFactory(ed, _time).Create("POST", Token)));
    }
}
