using System.Net;
using System.Security.Cryptography;
using System.Text;
using MutualAuth.MessageSignatures;

namespace MutualAuth.Http.Tests;

/// <summary>
/// The signature client against scripted servers: which response signature an HMAC client and an asymmetric client
/// accept. An HMAC client accepts only hmac-sha256 under its own keyid with the key derived from its secret
/// (<see cref="HmacResponseKey"/>), covering the status, the digest and its own request signature; each refusal has its test.
/// </summary>
public sealed class HttpSignatureHandlerTests : IDisposable
{
    private const string KeyId = "alice-key";
    private const string ServerKeyId = "test-server";
    private static readonly Uri Url = new("https://api.example/orders/7");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\": 7}");
    private static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly byte[] OtherSecret = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];
    private readonly HttpSignatureKey _serverKey = HttpSignatureKey.Generate(HttpSignatureAlgorithm.EcdsaP256Sha256);

    public void Dispose() => _serverKey.Dispose();

    /// <summary>The key an HMAC client's response must be signed with, computed here with HKDF directly.</summary>
    private static HttpSignatureKey ResponseKey(byte[] secret, string keyId) =>
        HttpSignatureKey.Hmac(HKDF.Expand(HashAlgorithmName.SHA256, secret, 32, [.. "mutualauth response signature v1"u8, 0, .. Encoding.UTF8.GetBytes(keyId)]));

    private static readonly ComponentIdentifier[] ResponseComponents =
        [ComponentIdentifier.Status, ComponentIdentifier.Field("content-digest"), ComponentIdentifier.Field("signature").WithKey("sig1").OfRequest()];

    private HttpClient HmacClient(ScriptedServer server) => Client(server, HttpSignatureKey.Hmac(Secret), KeyId);

    private HttpClient Client(ScriptedServer server, HttpSignatureKey key, string keyId, bool pin = true) =>
        new(new HttpSignatureHandler(new HttpSignatureClientOptions
        {
            KeyId = keyId,
            Key = key,
            ServerKeyId = pin ? ServerKeyId : null,
            ServerKey = pin ? _serverKey : null,
        })
        {
            InnerHandler = server,
        });

    private static async Task<string> Refusal(HttpClient client) =>
        (await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.GetAsync(Url))).Reason.Value;

    [Fact]
    public async Task An_hmac_client_accepts_a_response_signed_with_the_key_derived_from_its_secret()
    {
        using var responseKey = ResponseKey(Secret, KeyId);
        using var client = HmacClient(new ScriptedServer((request, response) => ScriptedServer.Sign(request, response, KeyId, responseKey)));

        using var response = await client.GetAsync(Url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_hmac_client_needs_no_pinned_server_key()
    {
        using var responseKey = ResponseKey(Secret, KeyId);
        using var client = Client(new ScriptedServer((request, response) => ScriptedServer.Sign(request, response, KeyId, responseKey)), HttpSignatureKey.Hmac(Secret), KeyId, pin: false);

        using var response = await client.GetAsync(Url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_hmac_client_refuses_a_response_signed_with_another_clients_derived_key()
    {
        using var otherKey = ResponseKey(OtherSecret, KeyId);
        using var client = HmacClient(new ScriptedServer((request, response) => ScriptedServer.Sign(request, response, KeyId, otherKey)));

        Assert.Equal("invalid-signature", await Refusal(client));
    }

    [Fact]
    public async Task An_hmac_client_refuses_a_response_signed_with_its_key_derived_for_another_keyid()
    {
        using var otherKeyId = ResponseKey(Secret, "bob-key");
        using var client = HmacClient(new ScriptedServer((request, response) => ScriptedServer.Sign(request, response, KeyId, otherKeyId)));

        Assert.Equal("invalid-signature", await Refusal(client));
    }

    [Fact]
    public async Task An_hmac_client_refuses_a_response_signed_with_its_raw_secret()
    {
        using var raw = HttpSignatureKey.Hmac(Secret);
        using var client = HmacClient(new ScriptedServer((request, response) => ScriptedServer.Sign(request, response, KeyId, raw)));

        Assert.Equal("invalid-signature", await Refusal(client));
    }

    [Fact]
    public async Task An_hmac_client_refuses_the_servers_ecdsa_signature()
    {
        // What the server sent before HMAC responses: its pinned ECDSA key, under its own keyid.
        using var client = HmacClient(new ScriptedServer((request, response) => ScriptedServer.Sign(request, response, ServerKeyId, _serverKey)));

        Assert.Equal("missing-signature", await Refusal(client));
    }

    [Fact]
    public async Task An_hmac_client_refuses_an_ecdsa_signature_under_its_own_keyid()
    {
        using var client = HmacClient(new ScriptedServer((request, response) => ScriptedServer.Sign(request, response, KeyId, _serverKey)));

        Assert.Equal("invalid-signature", await Refusal(client));
    }

    [Fact]
    public async Task An_hmac_client_refuses_an_ecdsa_signature_under_its_own_keyid_without_alg()
    {
        // No 'alg' to compare: the algorithm comes from the client's own key, so the signature is checked as HMAC and fails.
        using var client = HmacClient(new ScriptedServer((request, response) => ScriptedServer.Sign(request, response, KeyId, _serverKey, withAlg: false)));

        Assert.Equal("invalid-signature", await Refusal(client));
    }

    [Fact]
    public async Task An_hmac_client_refuses_a_response_without_a_signature()
    {
        using var client = HmacClient(new ScriptedServer((_, _) => { }));

        Assert.Equal("missing-signature", await Refusal(client));
    }

    [Fact]
    public async Task An_hmac_client_refuses_a_response_bound_to_another_request()
    {
        using var responseKey = ResponseKey(Secret, KeyId);
        using var secret = HttpSignatureKey.Hmac(Secret);
        // A genuine earlier request of the same client (another nonce, so another signature).
        var earlier = HttpMessageComponents.ForRequest("GET", Url, []);
        var earlierSignature = MessageSigner.Sign(earlier, "sig1",
            new MessageSigner().CreateParameters([ComponentIdentifier.Method, ComponentIdentifier.TargetUri], KeyId, HttpSignatureAlgorithm.HmacSha256, "mutualauth", TimeSpan.FromMinutes(1)), secret);
        using var client = HmacClient(new ScriptedServer((_, response) => ScriptedServer.Sign(earlierSignature.AddTo(earlier), response, KeyId, responseKey)));

        Assert.Equal("invalid-signature", await Refusal(client));
    }

    [Fact]
    public async Task An_hmac_client_refuses_a_response_signature_that_does_not_cover_the_status()
    {
        using var responseKey = ResponseKey(Secret, KeyId);
        using var client = HmacClient(new ScriptedServer((request, response) =>
            ScriptedServer.Sign(request, response, KeyId, responseKey, components: [.. ResponseComponents.Where(c => c != ComponentIdentifier.Status)])));

        Assert.Equal("invalid-signature", await Refusal(client));
    }

    [Fact]
    public async Task An_hmac_client_refuses_a_response_signature_that_is_not_bound_to_its_request()
    {
        using var responseKey = ResponseKey(Secret, KeyId);
        using var client = HmacClient(new ScriptedServer((request, response) =>
            ScriptedServer.Sign(request, response, KeyId, responseKey, components: [ComponentIdentifier.Status, ComponentIdentifier.Field("content-digest")])));

        Assert.Equal("invalid-signature", await Refusal(client));
    }

    [Fact]
    public async Task An_hmac_client_refuses_its_own_request_signature_reflected_as_the_response_signature()
    {
        using var client = HmacClient(new ScriptedServer((request, response) =>
        {
            response.Headers.TryAddWithoutValidation("Signature-Input", request.FieldLines("signature-input")!);
            response.Headers.TryAddWithoutValidation("Signature", request.FieldLines("signature")!);
        }));

        Assert.Equal("invalid-signature", await Refusal(client));
    }

    [Fact]
    public async Task An_asymmetric_client_accepts_the_pinned_server_key()
    {
        using var client = Client(new ScriptedServer((request, response) => ScriptedServer.Sign(request, response, ServerKeyId, _serverKey)),
            HttpSignatureKey.Generate(HttpSignatureAlgorithm.Ed25519), "ed-key");

        using var response = await client.GetAsync(Url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_asymmetric_client_refuses_another_server_key()
    {
        using var impostor = HttpSignatureKey.Generate(HttpSignatureAlgorithm.EcdsaP256Sha256);
        using var client = Client(new ScriptedServer((request, response) => ScriptedServer.Sign(request, response, ServerKeyId, impostor)),
            HttpSignatureKey.Generate(HttpSignatureAlgorithm.Ed25519), "ed-key");

        Assert.Equal("invalid-signature", await Refusal(client));
    }

    [Fact]
    public async Task An_asymmetric_client_refuses_an_hmac_signature_under_its_keyid()
    {
        using var hmac = HttpSignatureKey.Hmac(Secret);
        using var client = Client(new ScriptedServer((request, response) => ScriptedServer.Sign(request, response, "ed-key", hmac)),
            HttpSignatureKey.Generate(HttpSignatureAlgorithm.Ed25519), "ed-key");

        Assert.Equal("missing-signature", await Refusal(client));
    }

    [Fact]
    public void Asymmetric_client_options_need_the_pinned_server_key()
    {
        using var key = HttpSignatureKey.Generate(HttpSignatureAlgorithm.Ed25519);

        Assert.Throws<InvalidOperationException>(() => new HttpSignatureClientOptions { KeyId = "ed-key", Key = key }.Validate());
    }

    [Fact]
    public void Hmac_client_options_refuse_a_key_whose_response_key_cannot_be_derived()
    {
        using var key = new OpaqueHmacKey();

        Assert.Throws<InvalidOperationException>(() => new HttpSignatureClientOptions { KeyId = KeyId, Key = key, ServerKeyId = ServerKeyId, ServerKey = _serverKey }.Validate());
    }

    /// <summary>An hmac-sha256 key whose secret this library cannot read (as one held in a device would be).</summary>
    private const string ForeignInput = "sig1=(\"@method\");created=1700000000;keyid=\"proxy\";tag=\"proxy\"";
    private const string ForeignSignature = "sig1=:cHJveHk=:";

    private static ComponentIdentifier[] BoundTo(string label) =>
        [ComponentIdentifier.Status, ComponentIdentifier.Field("content-digest"), ComponentIdentifier.Field("signature").WithKey(label).OfRequest()];

    public static TheoryData<string[], string[], string> ExistingSignatures => new()
    {
        { [ForeignInput], [ForeignSignature], "sig2" },
        { [ForeignInput.Replace("sig1", "sig2", StringComparison.Ordinal) + ", " + ForeignInput], [ForeignSignature + ", " + ForeignSignature.Replace("sig1", "sig2", StringComparison.Ordinal)], "sig3" },
        { [ForeignInput, ForeignInput.Replace("sig1", "sig2", StringComparison.Ordinal)], [ForeignSignature, ForeignSignature.Replace("sig1", "sig2", StringComparison.Ordinal)], "sig3" },
        { [ForeignInput.Replace("sig1", "proxy", StringComparison.Ordinal)], [ForeignSignature.Replace("sig1", "proxy", StringComparison.Ordinal)], "sig1" },
        { [], [ForeignSignature], "sig2" },
        { [ForeignInput], [], "sig2" },
    };

    [Theory]
    [MemberData(nameof(ExistingSignatures))]
    public async Task Signatures_already_on_the_request_are_kept_and_ours_takes_a_free_label(string[] inputs, string[] signatures, string expected)
    {
        using var responseKey = ResponseKey(Secret, KeyId);
        HttpMessageComponents? sent = null;
        using var client = HmacClient(new ScriptedServer((request, response) => ScriptedServer.Sign(sent = request, response, KeyId, responseKey, components: BoundTo(expected))));
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        Array.ForEach(inputs, i => request.Headers.TryAddWithoutValidation("Signature-Input", i));
        Array.ForEach(signatures, i => request.Headers.TryAddWithoutValidation("Signature", i));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sentInputs = SignatureFields.ParseSignatureInput(sent!.FieldLines("signature-input")!);
        var sentSignatures = SignatureFields.ParseSignature(sent.FieldLines("signature")!);
        Assert.Equal([.. SignatureFields.ParseSignatureInput(inputs).Select(m => m.Key), expected], sentInputs.Select(m => m.Key));
        Assert.Equal([.. SignatureFields.ParseSignature(signatures).Select(m => m.Key), expected], sentSignatures.Select(m => m.Key));
        Assert.Equal(SignatureFields.ParseSignature(signatures).Select(m => m.Value.ToArray()), sentSignatures.SkipLast(1).Select(m => m.Value.ToArray()));
        Assert.Equal("mutualauth", sentInputs[^1].Value.Tag);
    }

    [Fact]
    public async Task A_response_bound_to_the_signature_that_was_already_there_instead_of_ours_is_refused()
    {
        using var responseKey = ResponseKey(Secret, KeyId);
        using var client = HmacClient(new ScriptedServer((request, response) => ScriptedServer.Sign(request, response, KeyId, responseKey, components: BoundTo("sig1"))));
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        request.Headers.TryAddWithoutValidation("Signature-Input", ForeignInput);
        request.Headers.TryAddWithoutValidation("Signature", ForeignSignature);

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.SendAsync(request));

        Assert.Equal("invalid-signature", error.Reason.Value);
    }

    [Theory]
    [InlineData("Signature-Input", "sig1=(\"@method\"")]
    [InlineData("Signature-Input", "sig1=:AAAA:")]
    [InlineData("Signature", "sig1=(\"@method\")")]
    [InlineData("Signature", "sig1=:cHJveHk=:, sig1=:cHJveHk=:")]
    public async Task Unreadable_signature_fields_already_on_the_request_are_refused_before_sending_never_dropped(string field, string value)
    {
        var sent = false;
        using var client = HmacClient(new ScriptedServer((_, _) => sent = true));
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        request.Headers.TryAddWithoutValidation(field, value);

        var error = await Assert.ThrowsAsync<MutualAuthenticationException>(() => client.SendAsync(request));

        Assert.Equal(("malformed-signature-fields", RefusingParty.Client, false), (error.Reason.Value, error.RefusedBy, sent));
    }

    private sealed class OpaqueHmacKey() : HttpSignatureKey(HttpSignatureAlgorithm.HmacSha256)
    {
        public override bool CanSign => true;

        public override string? ExportPublicKeyPem() => null;

        public override string ExportPrivateKeyPem() => throw new InvalidOperationException();

        protected override byte[] SignCore(ReadOnlySpan<byte> signatureBase) => HMACSHA256.HashData(Secret, signatureBase);

        protected override bool VerifyCore(ReadOnlySpan<byte> signatureBase, ReadOnlySpan<byte> signature) => CryptographicOperations.FixedTimeEquals(SignCore(signatureBase), signature);
    }

    /// <summary>Answers 200 with a body and its Content-Digest; <paramref name="sign"/> adds (or not) a signature, given the request as signed.</summary>
    private sealed class ScriptedServer(Action<HttpMessageComponents, HttpResponseMessage> sign) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var fields = request.Headers.NonValidated.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)));
            var signed = HttpMessageComponents.ForRequest(request.Method.Method, request.RequestUri!, fields);
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Body), RequestMessage = request };
            response.Content.Headers.TryAddWithoutValidation("Content-Digest", ContentDigest.Create(Body, ContentDigestAlgorithm.Sha256));
            sign(signed, response);
            return Task.FromResult(response);
        }

        /// <summary>Signs <paramref name="response"/> (label sig1, tag mutualauth) over <paramref name="request"/>'s signature.</summary>
        public static void Sign(HttpMessageComponents request, HttpResponseMessage response, string keyId, HttpSignatureKey key,
            ComponentIdentifier[]? components = null, bool withAlg = true)
        {
            var digest = response.Content.Headers.GetValues("Content-Digest").Single();
            var message = HttpMessageComponents.ForResponse((int)response.StatusCode, [new("content-digest", digest)], request);
            var parameters = new MessageSigner().CreateParameters(components ?? ResponseComponents, keyId, withAlg ? key.Algorithm : null, "mutualauth", nonce: false);
            var signature = MessageSigner.Sign(message, "sig1", parameters, key);
            response.Headers.TryAddWithoutValidation("Signature-Input", signature.SignatureInputMember);
            response.Headers.TryAddWithoutValidation("Signature", signature.SignatureMember);
        }
    }
}
