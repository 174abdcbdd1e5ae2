using System.Net;
using System.Text.Json;
using MutualAuth.Authentication;
using MutualAuth.Keys;
using MutualAuth.Testing;
using MutualAuth.Tokens;

namespace MutualAuth.Gateway.Tests.Tokens;

public sealed class TokenEndpointTests(TokenServerFixture fixture) : IClassFixture<TokenServerFixture>
{
    private Uri TokenUrl => new(fixture.Issuer, "/oauth/token");

    private string Assertion(SigningKey? key = null) =>
        ClientAssertion.Create(key ?? fixture.ClientKey, "k1", TokenServerFixture.KeyClient, fixture.Issuer.GetLeftPart(UriPartial.Authority), fixture.Pki.Time);

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] parameters) =>
        new(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));

    private FormUrlEncodedContent AssertionForm(string? assertion = null) => Form(
        ("grant_type", "client_credentials"),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", assertion ?? Assertion()));

    private async Task<HttpResponseMessage> Post(HttpClient client, HttpContent form, params string[] proofs)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenUrl) { Content = form };
        foreach (var proof in proofs)
        {
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        }

        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private async Task<string> Nonce(HttpClient client)
    {
        using var first = await Post(client, AssertionForm(), new DpopProofFactory(fixture.ClientKey, fixture.Pki.Time).Create("POST", TokenUrl));
        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal("use_dpop_nonce", (await Json(first)).GetProperty("error").GetString());
        return first.Headers.GetValues("DPoP-Nonce").Single();
    }

    [Fact]
    public async Task Private_key_jwt_with_dpop_gets_a_dpop_bound_token_after_the_nonce_retry()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        using var proofKey = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
        var dpop = new DpopProofFactory(proofKey, fixture.Pki.Time);
        var nonce = await Nonce(client);

        using var response = await Post(client, AssertionForm(), dpop.Create("POST", TokenUrl, nonce: nonce));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await Json(response);
        Assert.Equal("DPoP", body.GetProperty("token_type").GetString());
        Assert.Equal("read write", body.GetProperty("scope").GetString());
        var issuer = fixture.Issuer.GetLeftPart(UriPartial.Authority);
        var validator = new AccessTokenValidator(issuer, issuer, () => [Parse(TokenServerFixture.Jwk(fixture.ServerKey, "as-1"))], fixture.Pki.Time);
        var token = await validator.ValidateAsync(body.GetProperty("access_token").GetString());
        Assert.Equal(ReasonCode.Ok, token.Reason);
        Assert.Equal(dpop.Thumbprint, token.Value!.Confirmation.JwkThumbprint);
        Assert.Equal(TokenServerFixture.KeyClient, token.Value.ClientId);
    }

    [Fact]
    public async Task A_replayed_assertion_is_invalid_client_with_nothing_about_keys()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        var dpop = new DpopProofFactory(fixture.ClientKey, fixture.Pki.Time);
        var nonce = await Nonce(client);
        var assertion = Assertion();

        using var first = await Post(client, AssertionForm(assertion), dpop.Create("POST", TokenUrl, nonce: nonce));
        using var replay = await Post(client, AssertionForm(assertion), dpop.Create("POST", TokenUrl, nonce: nonce));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("{\"error\":\"invalid_client\"}", await replay.Content.ReadAsStringAsync());
        Assert.Contains(fixture.Gateway.Audit.ListRecent(20), e => e.Method == "token" && e.ReasonCode == "replayed-jti");
    }

    [Fact]
    public async Task An_assertion_by_another_key_is_invalid_client()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        using var attacker = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
        var nonce = await Nonce(client);

        using var response = await Post(client, AssertionForm(Assertion(attacker)), new DpopProofFactory(fixture.ClientKey, fixture.Pki.Time).Create("POST", TokenUrl, nonce: nonce));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(fixture.Gateway.Audit.ListRecent(20), e => e.Method == "token" && e.ReasonCode == "bad-signature");
    }

    [Fact]
    public async Task A_token_request_without_proof_or_certificate_is_refused()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);

        using var response = await Post(client, AssertionForm());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_dpop_proof", (await Json(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Two_dpop_headers_and_a_proof_for_another_url_are_invalid_dpop_proof()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        var dpop = new DpopProofFactory(fixture.ClientKey, fixture.Pki.Time);
        var nonce = await Nonce(client);

        using var two = await Post(client, AssertionForm(), dpop.Create("POST", TokenUrl, nonce: nonce), dpop.Create("POST", TokenUrl, nonce: nonce));
        using var other = await Post(client, AssertionForm(), dpop.Create("POST", new Uri(fixture.Issuer, "/token"), nonce: nonce));

        Assert.Equal("invalid_dpop_proof", (await Json(two)).GetProperty("error").GetString());
        Assert.Equal("invalid_dpop_proof", (await Json(other)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Mtls_client_gets_a_certificate_bound_token()
    {
        using var certificate = fixture.Pki.Client(TokenServerFixture.MtlsClient);
        using var client = TestHttpClients.Create(fixture.Pki, certificate);

        using var response = await Post(client, Form(("grant_type", "client_credentials"), ("client_id", TokenServerFixture.MtlsClient)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        var issuer = fixture.Issuer.GetLeftPart(UriPartial.Authority);
        var validator = new AccessTokenValidator(issuer, issuer, () => [Parse(TokenServerFixture.Jwk(fixture.ServerKey, "as-1"))], fixture.Pki.Time);
        var token = (await validator.ValidateAsync(body.GetProperty("access_token").GetString())).Value!;
        Assert.Equal(TokenConfirmation.Certificate(certificate.Certificate.RawData).CertificateThumbprint, token.Confirmation.CertificateThumbprint);
    }

    [Fact]
    public async Task Mtls_client_id_without_its_certificate_is_invalid_client()
    {
        using var other = fixture.Pki.Client("bob");
        using var withOther = TestHttpClients.Create(fixture.Pki, other);
        using var without = TestHttpClients.ServerOnly(fixture.Pki);
        var form = () => Form(("grant_type", "client_credentials"), ("client_id", TokenServerFixture.MtlsClient));

        using var a = await Post(withOther, form());
        using var b = await Post(without, form());

        Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, b.StatusCode);
    }

    [Fact]
    public async Task Other_grants_repeated_parameters_and_unregistered_scopes_are_refused()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        var dpop = new DpopProofFactory(fixture.ClientKey, fixture.Pki.Time);
        var nonce = await Nonce(client);

        using var grant = await Post(client, Form(("grant_type", "password")));
        using var repeated = await Post(client, Form(("grant_type", "client_credentials"), ("grant_type", "client_credentials")));
        using var scope = await Post(client, Form(("grant_type", "client_credentials"), ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", Assertion()), ("scope", "admin")), dpop.Create("POST", TokenUrl, nonce: nonce));

        Assert.Equal("unsupported_grant_type", (await Json(grant)).GetProperty("error").GetString());
        Assert.Equal("invalid_request", (await Json(repeated)).GetProperty("error").GetString());
        Assert.Equal("invalid_scope", (await Json(scope)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Metadata_names_our_issuer_jwks_and_bound_token_support()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        var issuer = fixture.Issuer.GetLeftPart(UriPartial.Authority);

        var metadata = await Json(await client.GetAsync(new Uri(fixture.Issuer, "/.well-known/oauth-authorization-server")));
        var resource = await Json(await client.GetAsync(new Uri(fixture.Issuer, "/.well-known/oauth-protected-resource")));
        var jwks = await Json(await client.GetAsync(new Uri(metadata.GetProperty("jwks_uri").GetString()!)));

        Assert.Equal(issuer, metadata.GetProperty("issuer").GetString());
        Assert.Equal(issuer + "/oauth/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.True(metadata.GetProperty("tls_client_certificate_bound_access_tokens").GetBoolean());
        Assert.Contains("ES256", metadata.GetProperty("dpop_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(issuer, resource.GetProperty("resource").GetString());
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("as-1", key.GetProperty("kid").GetString());
        Assert.False(key.TryGetProperty("d", out _));
    }

    private static PublicJwk Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return PublicJwk.Parse(document.RootElement.Clone()).Value!;
    }
}
