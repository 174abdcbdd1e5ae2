using System.Net;
using System.Text.Json;
using MutualAuth.Keys;
using MutualAuth.MessageSignatures;
using MutualAuth.Testing;
using MutualAuth.Tokens;

namespace MutualAuth.Gateway.Tests.Tokens;

/// <summary>The <c>token</c> route method (<c>/whoami=token</c>): bound tokens only, each with its proof.</summary>
public sealed class TokenRouteTests(TokenServerFixture fixture) : IClassFixture<TokenServerFixture>, IDisposable
{
    private readonly SoftwareSigningKey _proofKey = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);

    private Uri WhoAmI => new(fixture.Issuer, "/whoami");

    public void Dispose() => _proofKey.Dispose();

    private static async Task<HttpResponseMessage> Get(HttpClient client, Uri url, string authorization, params string[] proofs)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        foreach (var proof in proofs)
        {
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        }

        return await client.SendAsync(request);
    }

    private async Task<string> ResourceNonce(HttpClient client, string token, DpopProofFactory dpop)
    {
        using var first = await Get(client, WhoAmI, "DPoP " + token, dpop.Create("GET", WhoAmI, token));
        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Contains("error=\"use_dpop_nonce\"", first.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        return first.Headers.GetValues("DPoP-Nonce").Single();
    }

    [Fact]
    public async Task A_dpop_bound_token_with_its_proof_reaches_the_route_as_the_client()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        var dpop = new DpopProofFactory(_proofKey, fixture.Pki.Time);
        var token = await fixture.DpopToken(client, dpop);
        var nonce = await ResourceNonce(client, token, dpop);

        using var response = await Get(client, WhoAmI, "DPoP " + token, dpop.Create("GET", WhoAmI, token, nonce));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(TokenServerFixture.KeyClient, body.RootElement.GetProperty("subject").GetString());
        Assert.Equal("token", body.RootElement.GetProperty("method").GetString());
        Assert.Contains(fixture.Gateway.Audit.ListRecent(50), e => e.Method == "token" && e.ReasonCode == "ok" && e.Subject == TokenServerFixture.KeyClient);
    }

    [Fact]
    public async Task The_response_is_signed_fapi_2_response_by_the_authorization_server_key_and_bound_to_the_request()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        var dpop = new DpopProofFactory(_proofKey, fixture.Pki.Time);
        var token = await fixture.DpopToken(client, dpop);
        var proof = dpop.Create("GET", WhoAmI, token, await ResourceNonce(client, token, dpop));

        using var response = await Get(client, WhoAmI, "DPoP " + token, proof);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        var sent = HttpMessageComponents.ForRequest("GET", WhoAmI, [new("Authorization", "DPoP " + token), new("DPoP", proof)]);
        var fields = response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated).SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)));
        var message = HttpMessageComponents.ForResponse((int)response.StatusCode, fields, sent);
        Assert.Contains("tag=\"fapi-2-response\"", response.Headers.GetValues("Signature-Input").Single(), StringComparison.Ordinal);
        Assert.Equal(ContentDigestResult.Valid, ContentDigest.Verify(message.FieldLines(ContentDigest.FieldName), body));
        using var serverKey = HttpSignatureKey.FromSigningKey(fixture.ServerKey, HttpSignatureAlgorithm.EcdsaP256Sha256);
        var policy = new SignatureVerificationPolicy { KeyId = "as-1", Tag = FapiResponseSignature.Tag, RequiredComponents = FapiResponseSignature.Components(dpop: true) };
        var verifier = new MessageVerifier(keyId => keyId == "as-1" ? serverKey : null, fixture.Pki.Time);

        Assert.True(verifier.Verify(message, policy).Succeeded);
        // Bound to the request: the same response does not verify for another proof.
        var other = HttpMessageComponents.ForRequest("GET", WhoAmI, [new("Authorization", "DPoP " + token), new("DPoP", dpop.Create("GET", WhoAmI, token))]);
        Assert.Equal(SignatureVerificationFailure.BadSignature, verifier.Verify(HttpMessageComponents.ForResponse((int)response.StatusCode, fields, other), policy).Failure);
    }

    [Fact]
    public async Task The_same_proof_twice_is_refused()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        var dpop = new DpopProofFactory(_proofKey, fixture.Pki.Time);
        var token = await fixture.DpopToken(client, dpop);
        var proof = dpop.Create("GET", WhoAmI, token, await ResourceNonce(client, token, dpop));

        using var first = await Get(client, WhoAmI, "DPoP " + token, proof);
        using var replay = await Get(client, WhoAmI, "DPoP " + token, proof);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Contains("invalid_dpop_proof", replay.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dpop_bound_token_as_bearer_is_a_refused_downgrade()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        var token = await fixture.DpopToken(client, new DpopProofFactory(_proofKey, fixture.Pki.Time));

        using var response = await Get(client, WhoAmI, "Bearer " + token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains(fixture.Gateway.Audit.ListRecent(50), e => e.Method == "token" && e.ReasonCode == "bound-token-as-bearer");
    }

    [Fact]
    public async Task A_proof_by_another_key_or_for_another_token_is_refused()
    {
        using var client = TestHttpClients.ServerOnly(fixture.Pki);
        using var otherKey = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
        var dpop = new DpopProofFactory(_proofKey, fixture.Pki.Time);
        var other = new DpopProofFactory(otherKey, fixture.Pki.Time);
        var token = await fixture.DpopToken(client, dpop);
        var nonce = await ResourceNonce(client, token, dpop);

        using var wrongKey = await Get(client, WhoAmI, "DPoP " + token, other.Create("GET", WhoAmI, token, nonce));
        using var wrongAth = await Get(client, WhoAmI, "DPoP " + token, dpop.Create("GET", WhoAmI, "another-token", nonce));
        using var noProof = await Get(client, WhoAmI, "DPoP " + token);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAth.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noProof.StatusCode);
        var reasons = fixture.Gateway.Audit.ListRecent(50).Where(e => e.Method == "token").Select(e => e.ReasonCode).ToList();
        Assert.Contains("jkt-mismatch", reasons);
        Assert.Contains("ath-mismatch", reasons);
        Assert.Contains("missing-proof", reasons);
    }

    [Fact]
    public async Task A_certificate_bound_token_works_only_over_its_certificate()
    {
        using var alice = fixture.Pki.Client(TokenServerFixture.MtlsClient);
        using var bob = fixture.Pki.Client("bob");
        using var aliceClient = TestHttpClients.Create(fixture.Pki, alice);
        using var bobClient = TestHttpClients.Create(fixture.Pki, bob);
        var token = await fixture.CertificateBoundToken(aliceClient);

        using var own = await Get(aliceClient, WhoAmI, "Bearer " + token);
        using var stolen = await Get(bobClient, WhoAmI, "Bearer " + token);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stolen.StatusCode);
        Assert.Contains(fixture.Gateway.Audit.ListRecent(50), e => e.Method == "token" && e.ReasonCode == "certificate-mismatch");
    }
}
