using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using MutualAuth.Audit;
using MutualAuth.Http;
using MutualAuth.MessageSignatures;
using MutualAuth.Testing;

namespace MutualAuth.AspNetCore.Tests.MessageSignatures;

/// <summary>The mutual protocol end to end through the gateway, and the negative matrix: each tampering has its own test.</summary>
public sealed class HttpSignatureGatewayTests : IDisposable
{
    private const string KeyId = "alice-key";
    private readonly TestPki _pki = new();
    private readonly SignatureTestSetup _setup = new();

    public HttpSignatureGatewayTests() => _setup.Register(KeyId, "alice", () => HttpSignatureKey.Hmac(_setup.Secret));

    public void Dispose()
    {
        _setup.Dispose();
        _pki.Dispose();
    }

    private async Task<InProcessGateway> Start(params string[] routes)
    {
        using var server = _pki.Server();
        return await InProcessGateway.Start(_pki, server, configure: o => _setup.Configure(o, routes));
    }

    private HttpClient Client(DelegatingHandler? between = null, HttpSignatureKey? key = null, string keyId = KeyId, HttpSignatureKey? pinned = null, TimeProvider? clock = null) =>
        _setup.Client(_pki, keyId, key ?? HttpSignatureKey.Hmac(_setup.Secret), between, pinned, clock);

    private static Uri Url(InProcessGateway gateway, string path = "/whoami") => new(gateway.BaseAddress, path);

    private static async Task<HttpStatusCode> RefusedStatus(Task<HttpResponseMessage> call)
    {
        var error = await Assert.ThrowsAsync<HttpSignatureException>(() => call);
        Assert.Equal("refused-by-server", error.Reason);
        return HttpStatusCode.Unauthorized;
    }

    [Fact]
    public async Task A_signed_request_is_answered_with_a_response_signed_over_status_digest_and_the_request_signature()
    {
        await using var gateway = await Start();
        using var client = Client();

        using var response = await client.GetAsync(Url(gateway));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"method\": \"sig\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"signature\";key=\"sig1\";req", response.Headers.GetValues("Signature-Input").Single(), StringComparison.Ordinal);
        var accepted = Assert.Single(gateway.Audit.ListRecent(10));
        Assert.Equal((AuditDecision.Accept, "sig", "alice", KeyId), (accepted.Decision, accepted.Method, accepted.Subject, accepted.CredentialId));
    }

    [Fact]
    public async Task Every_algorithm_signs_requests_the_gateway_verifies()
    {
        await using var gateway = await Start();
        foreach (var algorithm in Enum.GetValues<HttpSignatureAlgorithm>().Where(a => a != HttpSignatureAlgorithm.HmacSha256))
        {
            using var key = HttpSignatureKey.Generate(algorithm);
            var publicPem = key.ExportPublicKeyPem()!;
            _setup.Register("k-" + algorithm, "client-" + algorithm, () => HttpSignatureKey.FromPem(publicPem, algorithm));
            using var client = Client(key: key, keyId: "k-" + algorithm);

            using var response = await client.GetAsync(Url(gateway));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_tampered_method_is_refused() =>
        await Refused(new Tamper(request: r => r.Method = HttpMethod.Head));

    [Fact]
    public async Task A_tampered_path_is_refused() =>
        await Refused(new Tamper(request: r => r.RequestUri = new Uri(r.RequestUri!, "/ca/crl")));

    [Fact]
    public async Task A_tampered_query_is_refused() =>
        await Refused(new Tamper(request: r => r.RequestUri = new Uri(r.RequestUri + "?admin=1")));

    [Fact]
    public async Task A_tampered_body_fails_its_content_digest()
    {
        await using var gateway = await Start();
        using var client = Client(new Tamper(request: r => r.Content = Copy(r.Content!, "{\"amount\":1000000}")));

        await RefusedStatus(client.PostAsync(Url(gateway), new StringContent("{\"amount\":1}")));

        Assert.Equal("content-digest-mismatch", Assert.Single(gateway.Audit.ListRecent(10)).ReasonCode);
    }

    [Fact]
    public async Task A_body_without_a_covered_digest_is_refused()
    {
        await using var gateway = await Start();
        using var client = Client(new Tamper(request: r => r.Content!.Headers.Remove("content-digest")));

        await RefusedStatus(client.PostAsync(Url(gateway), new StringContent("{\"amount\":1}")));
    }

    [Fact]
    public async Task A_tampered_response_status_is_refused_by_the_client()
    {
        await using var gateway = await Start();
        using var client = Client(new Tamper(response: r =>
        {
            r.StatusCode = HttpStatusCode.Created;
            return Task.FromResult(r);
        }));

        var error = await Assert.ThrowsAsync<HttpSignatureException>(() => client.GetAsync(Url(gateway)));

        Assert.Equal("invalid-signature", error.Reason);
    }

    [Fact]
    public async Task A_tampered_response_body_is_refused_by_the_client()
    {
        await using var gateway = await Start();
        using var client = Client(new Tamper(response: r =>
        {
            r.Content = new StringContent("{\"subject\": \"admin\"}");
            return Task.FromResult(r);
        }));

        var error = await Assert.ThrowsAsync<HttpSignatureException>(() => client.GetAsync(Url(gateway)));

        Assert.StartsWith("content-digest", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_signature_is_refused()
    {
        await using var gateway = await Start();
        var past = new FakeTimeProvider(TestPki.Now.AddMinutes(-2));
        using var client = Client(clock: past);

        await RefusedStatus(client.GetAsync(Url(gateway)));

        Assert.Contains(gateway.Audit.ListRecent(10), e => e.ReasonCode is "expired" or "too-old");
    }

    [Fact]
    public async Task A_signature_created_in_the_future_is_refused()
    {
        await using var gateway = await Start();
        var future = new FakeTimeProvider(TestPki.Now.AddMinutes(10));
        using var client = Client(clock: future);

        await RefusedStatus(client.GetAsync(Url(gateway)));

        Assert.Equal("created-in-future", Assert.Single(gateway.Audit.ListRecent(10)).ReasonCode);
    }

    [Fact]
    public async Task A_replayed_nonce_is_refused()
    {
        await using var gateway = await Start();
        HttpRequestMessage? first = null;
        using var client = Client(new Tamper(request: r => first ??= r));
        using var ok = await client.GetAsync(Url(gateway));
        using var raw = TestHttpClients.ServerOnly(_pki);
        using var replay = new HttpRequestMessage(HttpMethod.Get, first!.RequestUri);
        foreach (var header in first.Headers.NonValidated)
        {
            replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        using var replayed = await raw.SendAsync(replay);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized), (ok.StatusCode, replayed.StatusCode));
        Assert.Equal("replayed-nonce", gateway.Audit.ListRecent(1)[0].ReasonCode);
    }

    [Fact]
    public async Task An_unknown_keyid_is_refused() =>
        await Refused(null, keyId: "nobody", expectedCode: "unknown-key");

    [Fact]
    public async Task A_revoked_key_is_refused()
    {
        _setup.Revoke(KeyId);
        await Refused(null, expectedCode: "unknown-key");
    }

    [Fact]
    public async Task A_swapped_algorithm_is_refused()
    {
        // The key is registered for ed25519; the client signs with HMAC and says so in 'alg'.
        using var registered = HttpSignatureKey.Generate(HttpSignatureAlgorithm.Ed25519);
        var publicPem = registered.ExportPublicKeyPem()!;
        _setup.Register("ed-key", "carol", () => HttpSignatureKey.FromPem(publicPem, HttpSignatureAlgorithm.Ed25519));

        await Refused(null, keyId: "ed-key", expectedCode: "algorithm-mismatch");
    }

    [Fact]
    public async Task A_duplicated_component_is_refused() =>
        await Refused(new Tamper(request: r => Rewrite(r, input => input.Replace("(\"@method\"", "(\"@method\" \"@method\"", StringComparison.Ordinal))));

    [Fact]
    public async Task A_signature_under_another_label_is_refused() =>
        await Refused(new Tamper(request: r =>
        {
            var signature = r.Headers.GetValues("Signature").Single();
            r.Headers.Remove("Signature");
            r.Headers.TryAddWithoutValidation("Signature", "other" + signature[signature.IndexOf('=', StringComparison.Ordinal)..]);
        }));

    [Fact]
    public async Task An_untagged_signature_is_not_selected() =>
        await Refused(new Tamper(request: r => Rewrite(r, input => input.Replace(";tag=\"mutualauth\"", "", StringComparison.Ordinal))));

    [Fact]
    public async Task A_stripped_response_signature_is_refused_by_the_client()
    {
        await using var gateway = await Start();
        using var client = Client(new Tamper(response: r =>
        {
            r.Headers.Remove("Signature");
            r.Headers.Remove("Signature-Input");
            return Task.FromResult(r);
        }));

        var error = await Assert.ThrowsAsync<HttpSignatureException>(() => client.GetAsync(Url(gateway)));

        Assert.Equal("missing-signature", error.Reason);
    }

    [Fact]
    public async Task A_response_signed_by_another_key_is_refused_by_the_client()
    {
        await using var gateway = await Start();
        using var impostorPin = HttpSignatureKey.Generate(HttpSignatureAlgorithm.EcdsaP256Sha256);
        using var client = Client(pinned: impostorPin);

        var error = await Assert.ThrowsAsync<HttpSignatureException>(() => client.GetAsync(Url(gateway)));

        Assert.Equal("invalid-signature", error.Reason);
    }

    [Fact]
    public async Task A_response_bound_to_another_request_is_refused_by_the_client()
    {
        await using var gateway = await Start();
        HttpResponseMessage? captured = null;
        using var recorder = Client(new Tamper(response: async r =>
        {
            await r.Content.LoadIntoBufferAsync();
            captured ??= r;
            return r;
        }));
        using var first = await recorder.GetAsync(Url(gateway));
        using var client = Client(new Tamper(response: r => Task.FromResult(Clone(captured!))));

        var error = await Assert.ThrowsAsync<HttpSignatureException>(() => client.GetAsync(Url(gateway)));

        Assert.Equal("invalid-signature", error.Reason);
    }

    [Fact]
    public async Task An_http2_body_without_content_length_must_be_covered_by_a_digest()
    {
        await using var gateway = await Start();
        using var body = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("INJECTED")));
        body.Headers.ContentLength = null; // sent as an HTTP/2 DATA frame with no content-length

        using var response = await SendSigned(gateway, HttpMethod.Post, body, [ComponentIdentifier.Method, ComponentIdentifier.TargetUri]);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(body.Headers.ContentLength);
        Assert.Equal("missing-required-component", Assert.Single(gateway.Audit.ListRecent(10)).ReasonCode);
    }

    [Fact]
    public async Task An_overlong_nonce_is_refused_not_a_server_error()
    {
        await using var gateway = await Start();

        using var response = await SendSigned(gateway, HttpMethod.Get, null, [ComponentIdentifier.Method, ComponentIdentifier.TargetUri], nonce: new string('n', 6000));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("nonce-too-long", Assert.Single(gateway.Audit.ListRecent(10)).ReasonCode);
    }

    [Fact]
    public async Task Unsigned_requests_get_a_generic_401_with_accept_signature()
    {
        await using var gateway = await Start();
        using var raw = TestHttpClients.ServerOnly(_pki);

        using var response = await raw.GetAsync(Url(gateway));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("tag=\"mutualauth\"", response.Headers.GetValues("Accept-Signature").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain(KeyId, response.Headers.ToString(), StringComparison.Ordinal);
    }

    private async Task Refused(DelegatingHandler? tamper, string keyId = KeyId, string? expectedCode = null)
    {
        await using var gateway = await Start();
        using var client = Client(tamper, keyId: keyId);

        await RefusedStatus(client.GetAsync(Url(gateway)));

        var refused = Assert.Single(gateway.Audit.ListRecent(10));
        Assert.Equal(AuditDecision.Refuse, refused.Decision);
        if (expectedCode is not null)
        {
            Assert.Equal(expectedCode, refused.ReasonCode);
        }
    }

    /// <summary>Sends a request signed by hand (HTTP/2, no client handler) covering <paramref name="covered"/>.</summary>
    private async Task<HttpResponseMessage> SendSigned(InProcessGateway gateway, HttpMethod method, HttpContent? content, ComponentIdentifier[] covered, string? nonce = null)
    {
        var url = Url(gateway);
        var now = _pki.Time.GetUtcNow();
        var parameters = SignatureParameters.Create(covered, now, now.AddMinutes(1), nonce ?? Guid.NewGuid().ToString("N"), HttpSignatureAlgorithm.HmacSha256, KeyId, "mutualauth");
        using var key = HttpSignatureKey.Hmac(_setup.Secret);
        var signature = MessageSigner.Sign(HttpMessageComponents.ForRequest(method.Method, url, []), "sig1", parameters, key);
        using var raw = TestHttpClients.ServerOnly(_pki);
        using var request = new HttpRequestMessage(method, url) { Content = content, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.TryAddWithoutValidation("Signature-Input", signature.SignatureInputMember);
        request.Headers.TryAddWithoutValidation("Signature", signature.SignatureMember);
        return await raw.SendAsync(request);
    }

    private static void Rewrite(HttpRequestMessage request, Func<string, string> change)
    {
        var input = request.Headers.GetValues("Signature-Input").Single();
        request.Headers.Remove("Signature-Input");
        request.Headers.TryAddWithoutValidation("Signature-Input", change(input));
    }

    private static ByteArrayContent Copy(HttpContent original, string body)
    {
        var copy = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        foreach (var header in original.Headers.NonValidated.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }

    private static HttpResponseMessage Clone(HttpResponseMessage response)
    {
        var copy = new HttpResponseMessage(response.StatusCode) { Content = new ByteArrayContent(response.Content.ReadAsByteArrayAsync().Result) };
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
}
