using System.Net;
using System.Text.Json;
using MutualAuth.Http;
using MutualAuth.Keys;
using MutualAuth.Testing;

namespace MutualAuth.Gateway.Tests.Tokens;

/// <summary>Our client library against our authorization server and <c>token</c> route.</summary>
public sealed class OAuthClientCredentialsHandlerTests(TokenServerFixture fixture) : IClassFixture<TokenServerFixture>, IDisposable
{
    private readonly SoftwareSigningKey _dpopKey = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);

    public void Dispose() => _dpopKey.Dispose();

    private HttpClient Client(Uri? issuer = null, IssuedCertificateHolder? certificate = null)
    {
        var transport = certificate is null ? TestHttpClients.ServerOnlyHandler(fixture.Pki) : TestHttpClients.Handler(fixture.Pki, certificate.Certificate);
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
}

internal sealed record IssuedCertificateHolder(MutualAuth.Certificates.IssuedCertificate Certificate);
