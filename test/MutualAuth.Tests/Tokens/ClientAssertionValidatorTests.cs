using Microsoft.Extensions.Time.Testing;
using MutualAuth.Keys;
using MutualAuth.Tokens;

namespace MutualAuth.Tests.Tokens;

public sealed class ClientAssertionValidatorTests : IDisposable
{
    private const string Issuer = "https://as.example.com";
    private const string TokenEndpoint = "https://as.example.com/oauth/token";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly SoftwareSigningKey _key = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
    private readonly ClientAssertionValidator _validator;
    private readonly ClientRegistration _client;

    public ClientAssertionValidatorTests()
    {
        _validator = new ClientAssertionValidator(Issuer, TestJws.Memory(), _time);
        _client = Client("svc", _key);
    }

    public void Dispose() => _key.Dispose();

    private static ClientRegistration Client(string id, SigningKey key, params string[] algorithms) => new(
        id, ClientAuthenticationMethod.PrivateKeyJwt, [TestJws.Parse(TestJws.Jwk(key, "k1"))],
        new HashSet<string>(algorithms.Length == 0 ? [JwsAlgorithms.ES256] : algorithms), ["read"]);

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    private string Assertion(string? header = null, string? payload = null, SigningKey? key = null, string alg = "ES256")
    {
        header ??= """{"alg":"ES256","kid":"k1"}""";
        payload ??= $$"""{"iss":"svc","sub":"svc","aud":"{{Issuer}}","jti":"{{Guid.NewGuid():N}}","exp":{{Now + 60}}}""";
        return TestJws.Sign(key ?? _key, alg, header, payload);
    }

    private async Task<string> Check(string assertion, ClientRegistration? client = null) =>
        (await _validator.ValidateAsync(assertion, client ?? _client)).Value;

    [Fact]
    public async Task Assertions_from_oauth4webapi_shape_and_from_our_factory_are_accepted()
    {
        Assert.Equal("ok", await Check(Assertion()));
        Assert.Equal("ok", await Check(ClientAssertion.Create(_key, "k1", "svc", Issuer, _time)));
        Assert.Equal("svc", ClientAssertionValidator.ClaimedClient(Assertion()));
    }

    [Fact]
    public async Task Ps256_and_eddsa_are_accepted_when_registered()
    {
        var rsa = TestJws.Rsa;
        using var ed = Ed25519SigningKey.Generate();
        Assert.Equal("ok", await Check(ClientAssertion.Create(rsa, "k1", "r", Issuer, _time), Client("r", rsa, JwsAlgorithms.PS256)));
        Assert.Equal("ok", await Check(ClientAssertion.Create(ed, "k1", "e", Issuer, _time), Client("e", ed, JwsAlgorithms.EdDSA)));
    }

    [Fact]
    public async Task An_algorithm_outside_the_registration_is_refused()
    {
        var rsa = TestJws.Rsa;
        Assert.Equal("algorithm-not-allowed", await Check(ClientAssertion.Create(rsa, "k1", "r", Issuer, _time), Client("r", rsa, JwsAlgorithms.ES256)));
    }

    [Theory]
    [InlineData("[\"https://as.example.com\"]")]
    [InlineData("\"https://as.example.com/oauth/token\"")]
    [InlineData("\"https://as.example.com/\"")]
    [InlineData("\"https://other.example.com\"")]
    public async Task Aud_must_be_exactly_the_issuer_as_one_string(string aud) =>
        Assert.Equal("wrong-audience", await Check(Assertion(payload: $$"""{"iss":"svc","sub":"svc","aud":{{aud}},"jti":"j","exp":{{Now + 60}}}""")));

    [Theory]
    [InlineData("other", "svc", "wrong-issuer")]
    [InlineData("svc", "other", "wrong-subject")]
    public async Task Iss_and_sub_must_be_the_client(string iss, string sub, string reason) =>
        Assert.Equal(reason, await Check(Assertion(payload: $$"""{"iss":"{{iss}}","sub":"{{sub}}","aud":"{{Issuer}}","jti":"j","exp":{{Now + 60}}}""")));

    [Theory]
    [InlineData("dpop+jwt")]
    [InlineData("JWT")]
    [InlineData("at+jwt")]
    public async Task A_dpop_proof_an_id_token_or_an_access_token_is_not_a_client_assertion(string typ) =>
        Assert.Equal("wrong-type", await Check(Assertion($$"""{"alg":"ES256","typ":"{{typ}}"}""")));

    [Fact]
    public async Task A_dpop_proof_with_its_jwk_is_refused_as_key_injection()
    {
        // Refused for its jwk header (a key the assertion brings itself) before its typ is even read.
        var proof = new DpopProofFactory(_key, _time).Create("POST", new Uri(TokenEndpoint));
        Assert.Equal("forbidden-header", await Check(proof));
        Assert.Equal("forbidden-header", await Check(Assertion($$"""{"alg":"ES256","jwk":{{TestJws.Jwk(_key)}}}""")));
    }

    [Fact]
    public async Task The_explicit_typ_is_accepted() =>
        Assert.Equal("ok", await Check(Assertion("""{"alg":"ES256","typ":"client-authentication+jwt"}""")));

    [Fact]
    public async Task A_replayed_jti_is_refused()
    {
        var assertion = Assertion();
        Assert.Equal("ok", await Check(assertion));
        Assert.Equal("replayed-jti", await Check(assertion));
    }

    [Theory]
    [InlineData(-60, "expired")]
    [InlineData(3600, "lifetime-too-long")]
    public async Task Exp_must_be_short_and_in_the_future(int offset, string reason) =>
        Assert.Equal(reason, await Check(Assertion(payload: $$"""{"iss":"svc","sub":"svc","aud":"{{Issuer}}","jti":"j","exp":{{Now + offset}}}""")));

    [Fact]
    public async Task Missing_jti_or_exp_is_refused()
    {
        Assert.Equal("missing-claim", await Check(Assertion(payload: $$"""{"iss":"svc","sub":"svc","aud":"{{Issuer}}","exp":{{Now + 60}}}""")));
        Assert.Equal("missing-claim", await Check(Assertion(payload: $$"""{"iss":"svc","sub":"svc","aud":"{{Issuer}}","jti":"j"}""")));
    }

    [Fact]
    public async Task A_key_that_is_not_registered_is_refused_whatever_kid_it_names()
    {
        using var attacker = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
        Assert.Equal("bad-signature", await Check(Assertion(key: attacker)));
        Assert.Equal("bad-signature", await Check(Assertion("""{"alg":"ES256","kid":"other"}""", key: attacker)));
        Assert.Equal("forbidden-header", await Check(Assertion("""{"alg":"ES256","jku":"https://attacker.example/jwks"}""", key: attacker)));
        Assert.Equal("forbidden-header", await Check(Assertion("""{"alg":"ES256","x5u":"https://attacker.example/c.pem"}""", key: attacker)));
        Assert.Equal("unknown-critical-header", await Check(Assertion("""{"alg":"ES256","crit":["b64"],"b64":false}""")));
    }

    [Fact]
    public async Task A_client_registered_for_mtls_cannot_use_an_assertion()
    {
        var mtls = _client with { Method = ClientAuthenticationMethod.TlsClientAuth };
        Assert.Equal("wrong-client-authentication", await Check(Assertion(), mtls));
    }

    [Fact]
    public async Task Oversized_and_malformed_assertions_are_refused()
    {
        Assert.Equal("token-too-large", await Check(new string('a', 9000)));
        Assert.Equal("malformed-token", await Check("a.b"));
        Assert.Equal("malformed-token", await Check(TestJws.B64("[1]") + "." + TestJws.B64("{}") + ".AAAA"));
        Assert.Equal("duplicate-member", await Check(Assertion(payload: $$"""{"iss":"svc","iss":"svc","sub":"svc","aud":"{{Issuer}}","jti":"j","exp":{{Now + 60}}}""")));
    }
}
