using System.Net;
using System.Text.Json;
using MutualAuth.Http;
using MutualAuth.Keys;
using MutualAuth.MessageSignatures;
using MutualAuth.Tokens;
using MutualAuth.Testing;

namespace MutualAuth.Gateway.Tests.Tokens;

/// <summary>Our client library against our authorization server and <c>token</c> route.</summary>
public sealed class OAuthClientCredentialsHandlerTests(TokenServerFixture fixture) : IClassFixture<TokenServerFixture>, IDisposable
{
    private readonly SoftwareSigningKey _dpopKey = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);

    public void Dispose() => _dpopKey.Dispose();

    private HttpClient Client(Uri? issuer = null, IssuedCertificateHolder? certificate = null, Func<HttpRequestMessage, HttpResponseMessage, HttpResponseMessage>? resource = null)
    {
        HttpMessageHandler transport = certificate is null ? TestHttpClients.ServerOnlyHandler(fixture.Pki) : TestHttpClients.Handler(fixture.Pki, certificate.Certificate);
        if (resource is not null)
        {
            transport = new ResourceInterceptor(resource) { InnerHandler = transport };
        }

        return new HttpClient(new OAuthClientCredentialsHandler(new OAuthClientCredentialsOptions
        {
            Issuer = issuer ?? fixture.Issuer,
            ClientId = certificate is null ? TokenServerFixture.KeyClient : TokenServerFixture.MtlsClient,
            ClientKey = certificate is null ? fixture.ClientKey : null,
            ClientKeyId = certificate is null ? "k1" : null,
            DpopKey = certificate is null ? _dpopKey : null,
            TimeProvider = fixture.Pki.Time,
        })
        { InnerHandler = transport });
    }

    [Fact]
    public async Task Requests_carry_a_dpop_bound_token_got_once_with_the_nonce_retries()
    {
        using var client = Client();

        using var first = await client.GetAsync(new Uri(fixture.Issuer, "/whoami"));
        using var second = await client.GetAsync(new Uri(fixture.Issuer, "/whoami"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var body = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.Equal(TokenServerFixture.KeyClient, body.RootElement.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task An_mtls_client_gets_and_uses_a_certificate_bound_token()
    {
        using var alice = fixture.Pki.Client(TokenServerFixture.MtlsClient);
        using var client = Client(certificate: new IssuedCertificateHolder(alice));

        using var response = await client.GetAsync(new Uri(fixture.Issuer, "/whoami"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_server_whose_metadata_names_another_issuer_is_refused_before_any_token_request()
    {
        using var client = Client(new Uri(fixture.Issuer, "/other-tenant"));

        var refused = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri(fixture.Issuer, "/whoami")));

        Assert.Equal("wrong-issuer", refused.Reason.Value);
    }

    [Fact]
    public async Task An_unsigned_response_is_refused()
    {
        using var client = Client();

        // The JWKS is served without the token route's signature.
        var refused = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri(fixture.Issuer, "/oauth/jwks")));

        Assert.Equal("unsigned-response", refused.Reason.Value);
        Assert.Equal(RefusingParty.Client, refused.RefusedBy);
    }

    [Fact]
    public async Task A_response_signed_by_another_key_is_refused()
    {
        using var intruder = HttpSignatureKey.Generate(HttpSignatureAlgorithm.EcdsaP256Sha256);
        using var client = Client(resource: (request, response) => Resign(request, response, "intruder", intruder));

        var refused = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri(fixture.Issuer, "/whoami")));

        Assert.Equal("unknown-response-key", refused.Reason.Value);
    }

    [Fact]
    public async Task A_response_signed_under_the_issuer_kid_by_another_key_is_refused()
    {
        using var intruder = HttpSignatureKey.Generate(HttpSignatureAlgorithm.EcdsaP256Sha256);
        using var client = Client(resource: (request, response) => Resign(request, response, "as-1", intruder));

        var refused = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri(fixture.Issuer, "/whoami")));

        Assert.Equal("invalid-response-signature", refused.Reason.Value);
    }

    [Fact]
    public async Task A_signed_response_to_another_request_is_refused()
    {
        (HttpResponseMessage Response, byte[] Body)? first = null;
        using var client = Client(resource: (_, response) =>
        {
            if (first is not { } replayed)
            {
                first = (response, response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult());
                return Copy(response, first.Value.Body);
            }

            return Copy(replayed.Response, replayed.Body); // the first request's signed answer, for the second request
        });

        using var accepted = await client.GetAsync(new Uri(fixture.Issuer, "/whoami"));
        var refused = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(new Uri(fixture.Issuer, "/whoami")));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("invalid-response-signature", refused.Reason.Value);
    }

    [Fact]
    public async Task A_rotated_response_key_is_read_from_the_jwks_again()
    {
        using var next = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
        var before = fixture.SigningKeys;
        using var client = Client();
        using var first = await client.GetAsync(new Uri(fixture.Issuer, "/whoami"));
        try
        {
            fixture.SigningKeys = new TokenSigningKeys("as-2", next, [("as-2", next), ("as-1", fixture.ServerKey)]);
            fixture.Pki.Time.Advance(TimeSpan.FromMinutes(2));

            using var second = await client.GetAsync(new Uri(fixture.Issuer, "/whoami"));

            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }
        finally
        {
            fixture.SigningKeys = before;
        }
    }

    private HttpResponseMessage Resign(HttpRequestMessage request, HttpResponseMessage response, string keyId, HttpSignatureKey key)
    {
        var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var copy = Copy(response, body);
        copy.Headers.Remove("Signature");
        copy.Headers.Remove("Signature-Input");
        var sent = HttpMessageComponents.ForRequest(request.Method.Method, request.RequestUri!, Lines(request.Headers.NonValidated));
        var message = HttpMessageComponents.ForResponse((int)copy.StatusCode, Lines(copy.Headers.NonValidated.Concat(copy.Content.Headers.NonValidated)), sent);
        var parameters = new MessageSigner(fixture.Pki.Time).CreateParameters(FapiResponseSignature.Components(dpop: true), keyId, key.Algorithm, FapiResponseSignature.Tag, lifetime: null, nonce: false);
        var signature = MessageSigner.Sign(message, FapiResponseSignature.Label, parameters, key);
        copy.Headers.TryAddWithoutValidation("Signature-Input", signature.SignatureInputMember);
        copy.Headers.TryAddWithoutValidation("Signature", signature.SignatureMember);
        return copy;
    }

    private static HttpResponseMessage Copy(HttpResponseMessage response, byte[] body)
    {
        var copy = new HttpResponseMessage(response.StatusCode) { Content = new ByteArrayContent(body) };
        foreach (var header in response.Headers.NonValidated)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var header in response.Content.Headers.NonValidated)
        {
            copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }

    private static IEnumerable<KeyValuePair<string, string>> Lines(IEnumerable<KeyValuePair<string, System.Net.Http.Headers.HeaderStringValues>> headers) =>
        headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)));

    // Between the client handler and the network: rewrites the answers of resource requests (not discovery or tokens).
    private sealed class ResourceInterceptor(Func<HttpRequestMessage, HttpResponseMessage, HttpResponseMessage> rewrite) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            return request.RequestUri!.AbsolutePath == "/whoami" && response.StatusCode == HttpStatusCode.OK ? rewrite(request, response) : response;
        }
    }
}

internal sealed record IssuedCertificateHolder(MutualAuth.Certificates.IssuedCertificate Certificate);
