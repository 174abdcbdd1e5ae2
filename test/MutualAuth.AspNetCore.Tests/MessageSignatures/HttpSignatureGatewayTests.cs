using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using MutualAuth.Authentication;
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
        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => call);
        Assert.Equal("refused-by-server", error.Reason.Value);
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
    public async Task A_signature_already_on_the_request_is_kept_and_the_gateway_finds_ours_by_tag_under_the_next_label()
    {
        await using var gateway = await Start();
        HttpRequestMessage? sent = null;
        using var client = Client(new Tamper(request: r => sent = r));
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(gateway));
        request.Headers.TryAddWithoutValidation("Signature-Input", "sig1=(\"@method\");created=1700000000;keyid=\"proxy\";tag=\"proxy\"");
        request.Headers.TryAddWithoutValidation("Signature", "sig1=:cHJveHk=:");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["sig1", "sig2"], SignatureFields.ParseSignature(sent!.Headers.GetValues("Signature")).Select(m => m.Key));
        Assert.Contains("\"signature\";key=\"sig2\";req", response.Headers.GetValues("Signature-Input").Single(), StringComparison.Ordinal);
        var accepted = Assert.Single(gateway.Audit.ListRecent(10));
        Assert.Equal((AuditDecision.Accept, "alice", KeyId), (accepted.Decision, accepted.Subject, accepted.CredentialId));
    }

    [Fact]
    public async Task The_audit_peer_is_ip_and_port_as_for_mtls()
    {
        await using var gateway = await Start();
        using var client = Client();

        using var response = await client.GetAsync(Url(gateway));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"^127\.0\.0\.1:[0-9]+$", Assert.Single(gateway.Audit.ListRecent(10)).PeerAddress);
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

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url(gateway)));

        Assert.Equal("invalid-signature", error.Reason.Value);
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

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url(gateway)));

        Assert.StartsWith("content-digest", error.Reason.Value, StringComparison.Ordinal);
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

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url(gateway)));

        Assert.Equal("missing-signature", error.Reason.Value);
    }

    [Fact]
    public async Task A_response_signed_by_another_key_is_refused_by_the_client()
    {
        // The server key pin applies to clients with asymmetric keys (an HMAC client checks the key derived from its secret).
        await using var gateway = await Start();
        using var impostorPin = HttpSignatureKey.Generate(HttpSignatureAlgorithm.EcdsaP256Sha256);
        using var key = RegisterAsymmetric("ec-key");
        using var client = Client(key: key, keyId: "ec-key", pinned: impostorPin);

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url(gateway)));

        Assert.Equal("invalid-signature", error.Reason.Value);
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

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url(gateway)));

        Assert.Equal("invalid-signature", error.Reason.Value);
    }

    [Fact]
    public async Task An_hmac_client_gets_a_response_signed_with_hmac_under_its_keyid_and_the_key_derived_from_its_secret()
    {
        await using var gateway = await Start();
        HttpResponseMessage? raw = null;
        using var client = Client(new Tamper(response: r => Task.FromResult(raw = r)));

        using var response = await client.GetAsync(Url(gateway));

        var input = response.Headers.GetValues("Signature-Input").Single();
        Assert.StartsWith("sig1=(\"@status\" \"content-digest\" \"signature\";key=\"sig1\";req);created=", input, StringComparison.Ordinal);
        Assert.EndsWith(";alg=\"hmac-sha256\";keyid=\"alice-key\";tag=\"mutualauth\"", input, StringComparison.Ordinal);
        // Verified here with the key computed by HKDF directly; neither the raw secret nor the server key verifies it.
        var info = Encoding.UTF8.GetBytes("mutualauth response signature v1\0" + KeyId);
        using var derived = HttpSignatureKey.Hmac(HKDF.Expand(HashAlgorithmName.SHA256, _setup.Secret, 32, info));
        using var secret = HttpSignatureKey.Hmac(_setup.Secret);
        Assert.Equal(
            (SignatureVerificationFailure.None, SignatureVerificationFailure.BadSignature, SignatureVerificationFailure.AlgorithmMismatch),
            (VerifyResponse(raw!, derived), VerifyResponse(raw!, secret), VerifyResponse(raw!, _setup.ServerKey)));
    }

    [Fact]
    public async Task An_asymmetric_client_gets_a_response_signed_with_the_server_key()
    {
        await using var gateway = await Start();
        using var key = RegisterAsymmetric("ec-key");
        using var client = Client(key: key, keyId: "ec-key");

        using var response = await client.GetAsync(Url(gateway));

        Assert.EndsWith($";alg=\"ecdsa-p256-sha256\";keyid=\"{SignatureTestSetup.ServerKeyId}\";tag=\"mutualauth\"", response.Headers.GetValues("Signature-Input").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_hmac_client_refuses_a_response_signed_with_the_server_ecdsa_key()
    {
        // What the server sent HMAC clients before: a valid signature by its pinned ECDSA key, under its keyid.
        await using var gateway = await Start();
        using var client = Client(new Tamper(response: r => Task.FromResult(Resign(r, SignatureTestSetup.ServerKeyId, _setup.ServerKey))));

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url(gateway)));

        Assert.Equal("missing-signature", error.Reason.Value);
    }

    [Fact]
    public async Task An_hmac_client_refuses_a_response_signed_with_its_raw_secret()
    {
        await using var gateway = await Start();
        using var secret = HttpSignatureKey.Hmac(_setup.Secret);
        using var client = Client(new Tamper(response: r => Task.FromResult(Resign(r, KeyId, secret))));

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url(gateway)));

        Assert.Equal("invalid-signature", error.Reason.Value);
    }

    [Fact]
    public async Task An_hmac_client_refuses_a_response_signed_with_another_clients_derived_key()
    {
        await using var gateway = await Start();
        using var bobSecret = HttpSignatureKey.Hmac([.. Enumerable.Range(101, 32).Select(i => (byte)i)]);
        using var bobResponseKey = HmacResponseKey.Derive(bobSecret, "bob-key");
        using var client = Client(new Tamper(response: r => Task.FromResult(Resign(r, KeyId, bobResponseKey))));

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url(gateway)));

        Assert.Equal("invalid-signature", error.Reason.Value);
    }

    [Fact]
    public async Task An_asymmetric_client_refuses_a_stripped_response_signature()
    {
        await using var gateway = await Start();
        using var key = RegisterAsymmetric("ec-key");
        using var client = Client(new Tamper(response: r =>
        {
            r.Headers.Remove("Signature");
            r.Headers.Remove("Signature-Input");
            return Task.FromResult(r);
        }), key: key, keyId: "ec-key");

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url(gateway)));

        Assert.Equal("missing-signature", error.Reason.Value);
    }

    [Fact]
    public async Task An_asymmetric_client_refuses_a_response_bound_to_another_request()
    {
        await using var gateway = await Start();
        using var key = RegisterAsymmetric("ec-key");
        HttpResponseMessage? captured = null;
        using var recorder = Client(new Tamper(response: async r =>
        {
            await r.Content.LoadIntoBufferAsync();
            captured ??= r;
            return r;
        }), key: key, keyId: "ec-key");
        using var first = await recorder.GetAsync(Url(gateway));
        using var client = Client(new Tamper(response: r => Task.FromResult(Clone(captured!))), key: key, keyId: "ec-key");

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url(gateway)));

        Assert.Equal("invalid-signature", error.Reason.Value);
    }

    [Fact]
    public async Task The_hmac_secret_is_resolved_once_per_request_and_disposed_before_the_response_is_signed()
    {
        await using var gateway = await Start();
        var resolved = new List<HttpSignatureKey>();
        _setup.Register(KeyId, "alice", () =>
        {
            var key = HttpSignatureKey.Hmac(_setup.Secret);
            resolved.Add(key);
            return key;
        });
        using var client = Client();

        using var response = await client.GetAsync(Url(gateway));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Throws<ObjectDisposedException>(() => Assert.Single(resolved).Sign("x"u8));
    }

    [Fact]
    public async Task An_hmac_key_whose_response_key_cannot_be_derived_is_refused_not_answered_unsigned()
    {
        _setup.Register("opaque-key", "olga", () => new OpaqueHmacKey(_setup.Secret));

        await Refused(null, keyId: "opaque-key", expectedCode: "response-key-unavailable");
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

    /// <summary>Registers a new ECDSA P-256 key under <paramref name="keyId"/> and returns its private key, for the client.</summary>
    private HttpSignatureKey RegisterAsymmetric(string keyId)
    {
        var key = HttpSignatureKey.Generate(HttpSignatureAlgorithm.EcdsaP256Sha256);
        var publicPem = key.ExportPublicKeyPem()!;
        _setup.Register(keyId, "client-" + keyId, () => HttpSignatureKey.FromPem(publicPem, HttpSignatureAlgorithm.EcdsaP256Sha256));
        return key;
    }

    /// <summary>The request a response answers, as it was signed (its Signature and Signature-Input fields).</summary>
    private static HttpMessageComponents SignedRequest(HttpResponseMessage response) =>
        HttpMessageComponents.ForRequest(response.RequestMessage!.Method.Method, response.RequestMessage.RequestUri!,
            response.RequestMessage.Headers.NonValidated.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))));

    private static HttpMessageComponents ResponseComponents(HttpResponseMessage response) =>
        HttpMessageComponents.ForResponse((int)response.StatusCode,
            response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated).SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))),
            SignedRequest(response));

    /// <summary>Verifies a response signature as the client does, with <paramref name="key"/> whatever its keyid.</summary>
    private SignatureVerificationFailure VerifyResponse(HttpResponseMessage response, HttpSignatureKey key) =>
        new MessageVerifier(_ => key, _pki.Time).Verify(ResponseComponents(response), new SignatureVerificationPolicy
        {
            Tag = "mutualauth",
            RequiredComponents = [ComponentIdentifier.Status, ComponentIdentifier.Field("content-digest"), ComponentIdentifier.Field("signature").WithKey("sig1").OfRequest()],
        }).Failure;

    /// <summary>Replaces the response's signature with one by <paramref name="key"/> under <paramref name="keyId"/>, over the same components.</summary>
    private HttpResponseMessage Resign(HttpResponseMessage response, string keyId, HttpSignatureKey key)
    {
        var parameters = new MessageSigner(_pki.Time).CreateParameters(
            [ComponentIdentifier.Status, ComponentIdentifier.Field("content-digest"), ComponentIdentifier.Field("signature").WithKey("sig1").OfRequest()], keyId, key.Algorithm, "mutualauth", nonce: false);
        var signature = MessageSigner.Sign(ResponseComponents(response), "sig1", parameters, key);
        response.Headers.Remove("Signature-Input");
        response.Headers.Remove("Signature");
        response.Headers.TryAddWithoutValidation("Signature-Input", signature.SignatureInputMember);
        response.Headers.TryAddWithoutValidation("Signature", signature.SignatureMember);
        return response;
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

    /// <summary>An hmac-sha256 key whose secret the library cannot read (as one held in a device would be).</summary>
    private sealed class OpaqueHmacKey(byte[] secret) : HttpSignatureKey(HttpSignatureAlgorithm.HmacSha256)
    {
        public override bool CanSign => true;

        public override string? ExportPublicKeyPem() => null;

        public override string ExportPrivateKeyPem() => throw new InvalidOperationException();

        protected override byte[] SignCore(ReadOnlySpan<byte> signatureBase) => HMACSHA256.HashData(secret, signatureBase);

        protected override bool VerifyCore(ReadOnlySpan<byte> signatureBase, ReadOnlySpan<byte> signature) => CryptographicOperations.FixedTimeEquals(SignCore(signatureBase), signature);
    }
}
