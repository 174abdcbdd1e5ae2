using System.Net;
using System.Text.Json;
using MutualAuth.Keys;
using MutualAuth.Testing;
using MutualAuth.Tokens;

namespace MutualAuth.Gateway.Tests.Tokens;

/// <summary>
/// Which tokens the <c>token</c> routes take besides the built-in server's: an external issuer's (<c>--token-issuer</c>),
/// and plain bearer tokens only on a route written <c>token:bearer</c>, where bound tokens keep their binding.
/// </summary>
public sealed class TokenIssuersRouteTests(TokenServerFixture fixture) : IClassFixture<TokenServerFixture>, IDisposable
{
    private readonly SoftwareSigningKey _proofKey = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);

    private Uri WhoAmI => new(fixture.Issuer, "/whoami");

    private Uri Bearer => new(fixture.Issuer, "/bearer");

    private string Audience => fixture.Issuer.GetLeftPart(UriPartial.Authority);

    public void Dispose() => _proofKey.Dispose();

    private string Issue(string issuer, SigningKey key, string kid, TokenConfirmation confirmation) =>
        new AccessTokenIssuer(issuer, key, kid, fixture.Pki.Time).Issue("ext-svc", Audience, ["read"], confirmation);

    private static async Task<HttpResponseMessage> Get(HttpClient client, Uri url, string authorization, string? proof = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (proof is not null)
        {
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        }

        return await client.SendAsync(request);
    }

    // The resource answers use_dpop_nonce first; the second proof carries the nonce.
    private async Task<HttpResponseMessage> GetWithProof(HttpClient client, string token)
    {
        var dpop = new DpopProofFactory(_proofKey, fixture.Pki.Time);
        using var first = await Get(client, WhoAmI, "DPoP " + token, dpop.Create("GET", WhoAmI, token));
        var nonce = first.Headers.TryGetValues("DPoP-Nonce", out var values) ? values.Single() : null;
        return await Get(client, WhoAmI, "DPoP " + token, dpop.Create("GET", WhoAmI, token, nonce));
    }

    [Fact]
    public async Task A_dpop_bound_token_of_the_external_issuer_is_accepted()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        var token = Issue(TokenServerFixture.ExternalIssuer, fixture.ExternalKey, "idp-1", TokenConfirmation.Dpop(PublicJwk.ThumbprintOf(_proofKey)));

        using var response = await GetWithProof(client, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ext-svc", body.RootElement.GetProperty("subject").GetString());
        Assert.Contains(fixture.Gateway.Audit.ListRecent(100), e => e.Method == "token" && e.ReasonCode == "ok" && e.Subject == "ext-svc");
    }

    [Fact]
    public async Task Tokens_of_an_issuer_not_configured_or_signed_by_another_key_are_refused()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        var bound = TokenConfirmation.Dpop(PublicJwk.ThumbprintOf(_proofKey));

        using var unknownIssuer = await GetWithProof(client, Issue("https://other.example", fixture.ExternalKey, "idp-1", bound));
        using var otherKey = await GetWithProof(client, Issue(TokenServerFixture.ExternalIssuer, fixture.ServerKey, "idp-1", bound));

        Assert.Equal(HttpStatusCode.Unauthorized, unknownIssuer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherKey.StatusCode);
        var audit = fixture.Gateway.Audit.ListRecent(100);
        Assert.Contains(audit, e => e.Method == "token" && e.ReasonCode == "wrong-issuer");
        Assert.Contains(audit, e => e.Method == "token" && e.ReasonCode == "bad-signature");
    }

    [Fact]
    public async Task An_unbound_external_token_is_refused_where_the_route_does_not_allow_bearer()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);

        using var response = await Get(client, WhoAmI, "Bearer " + Issue(TokenServerFixture.ExternalIssuer, fixture.ExternalKey, "idp-1", new TokenConfirmation(null, null)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(fixture.Gateway.Audit.ListRecent(100), e => e.Method == "token" && e.ReasonCode == "unbound-token");
    }

    [Fact]
    public async Task A_token_bearer_route_accepts_an_unbound_token_without_the_pop_amr()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        var token = Issue(Audience, fixture.ServerKey, "as-1", new TokenConfirmation(null, null));

        using var response = await Get(client, Bearer, "Bearer " + token);

        // No upstream: an accepted request ends in 404, a refused one in 401.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(fixture.Gateway.Audit.ListRecent(100), e => e.Method == "token" && e.ReasonCode == "ok" && e.Subject == "ext-svc");
    }

    [Fact]
    public async Task A_token_bearer_route_still_refuses_a_dpop_bound_token_sent_as_bearer()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        var token = await fixture.DpopToken(client, new DpopProofFactory(_proofKey, fixture.Pki.Time));

        using var response = await Get(client, Bearer, "Bearer " + token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains(fixture.Gateway.Audit.ListRecent(100), e => e.Method == "token" && e.ReasonCode == "bound-token-as-bearer");
    }

    [Fact]
    public async Task The_protected_resource_metadata_names_both_issuers_and_the_response_keys()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);

        using var metadata = JsonDocument.Parse(await client.GetStringAsync(new Uri(fixture.Issuer, "/.well-known/oauth-protected-resource")));

        Assert.Equal([Audience, TokenServerFixture.ExternalIssuer], metadata.RootElement.GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Audience + "/oauth/jwks", metadata.RootElement.GetProperty("jwks_uri").GetString());
    }
}
