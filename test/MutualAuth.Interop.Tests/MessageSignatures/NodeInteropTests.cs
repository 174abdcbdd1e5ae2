using System.Text;
using System.Text.Json.Nodes;
using MutualAuth.MessageSignatures;

namespace MutualAuth.Interop.Tests.MessageSignatures;

/// <summary>Messages signed by the npm package http-message-signatures verify with ours, and ours verify there.</summary>
public sealed class NodeInteropTests
{
    private static readonly Uri Target = new("https://api.example.com/orders?id=7&full=1");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"amount\": 12}");

    public static TheoryData<string> Algorithms() => ["hmac-sha256", "ed25519", "ecdsa-p256-sha256", "ecdsa-p384-sha384", "rsa-pss-sha512", "rsa-v1_5-sha256"];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task A_request_signed_by_node_verifies_with_ours(string algorithmName)
    {
        var algorithm = HttpSignatureAlgorithms.Parse(algorithmName);
        var (key, material) = KeyPair(algorithm);
        using var ourKey = key;
        var digest = ContentDigest.Create(Body, ContentDigestAlgorithm.Sha256);
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var input = new JsonObject
        {
            ["op"] = "sign",
            ["alg"] = algorithmName,
            ["keyid"] = "node-key",
            ["message"] = new JsonObject { ["method"] = "POST", ["url"] = Target.ToString(), ["headers"] = new JsonObject { ["content-digest"] = digest, ["content-type"] = "application/json" } },
            ["fields"] = new JsonArray("@method", "@target-uri", "content-digest"),
            ["params"] = new JsonObject { ["created"] = created, ["expires"] = created + 60, ["nonce"] = "n-" + created, ["tag"] = "mutualauth" },
        };
        Merge(input, material(true));
        if (algorithm == HttpSignatureAlgorithm.RsaPssSha512)
        {
            input["pssSaltLength"] = 64; // RFC 9421 §3.3.1; see A_pss_signature_with_the_package_default_salt_is_refused
        }

        var signed = await NodePeer.Run(input);

        var message = HttpMessageComponents.ForRequest("POST", Target, NodePeer.Fields(signed["headers"]!));
        var result = new MessageVerifier(id => id == "node-key" ? ourKey : null).Verify(message, new SignatureVerificationPolicy
        {
            Tag = "mutualauth",
            RequiredComponents = [ComponentIdentifier.Method, ComponentIdentifier.TargetUri, ComponentIdentifier.Field("content-digest")],
            RequireExpires = true,
            RequireNonce = true,
        });
        Assert.True(result.Succeeded, result.Failure.ToString());
        Assert.Equal(ContentDigestResult.Valid, ContentDigest.Verify(message, Body));
    }

    [Fact]
    public async Task A_pss_signature_with_the_package_default_salt_is_refused()
    {
        // The package signs rsa-pss-sha512 with Node's default, the largest salt that fits; RFC 9421 §3.3.1 fixes 64 bytes.
        var (key, material) = KeyPair(HttpSignatureAlgorithm.RsaPssSha512);
        using var ourKey = key;
        var input = new JsonObject
        {
            ["op"] = "sign",
            ["alg"] = "rsa-pss-sha512",
            ["keyid"] = "node-key",
            ["message"] = new JsonObject { ["method"] = "GET", ["url"] = Target.ToString(), ["headers"] = new JsonObject() },
            ["fields"] = new JsonArray("@method", "@target-uri"),
            ["params"] = new JsonObject { ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["tag"] = "mutualauth" },
        };
        Merge(input, material(true));

        var signed = await NodePeer.Run(input);

        var message = HttpMessageComponents.ForRequest("GET", Target, NodePeer.Fields(signed["headers"]!));
        var result = new MessageVerifier(id => id == "node-key" ? ourKey : null).Verify(message, new SignatureVerificationPolicy { Tag = "mutualauth" });
        Assert.Equal(SignatureVerificationFailure.BadSignature, result.Failure);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task A_request_signed_by_ours_verifies_with_node(string algorithmName)
    {
        var algorithm = HttpSignatureAlgorithms.Parse(algorithmName);
        var (key, material) = KeyPair(algorithm);
        using var ourKey = key;
        var fields = new[] { new KeyValuePair<string, string>("content-digest", ContentDigest.Create(Body, ContentDigestAlgorithm.Sha256)) };
        var message = HttpMessageComponents.ForRequest("POST", Target, fields);
        var parameters = new MessageSigner().CreateParameters(
            [ComponentIdentifier.Method, ComponentIdentifier.TargetUri, ComponentIdentifier.Field("content-digest")], "our-key", algorithm, "mutualauth", TimeSpan.FromMinutes(1));
        var signature = MessageSigner.Sign(message, "sig1", parameters, ourKey);
        var input = new JsonObject
        {
            ["op"] = "verify",
            ["alg"] = algorithmName,
            ["keyid"] = "our-key",
            ["message"] = new JsonObject
            {
                ["method"] = "POST",
                ["url"] = Target.ToString(),
                ["headers"] = NodePeer.Headers([.. fields, new("signature-input", signature.SignatureInputMember), new("signature", signature.SignatureMember)]),
            },
        };
        Merge(input, material(false));

        var verified = await NodePeer.Run(input);

        Assert.True(verified["verified"]!.GetValue<bool>(), verified.ToJsonString());
    }

    [Fact]
    public async Task A_response_signed_by_ours_over_the_request_signature_verifies_with_node()
    {
        var (clientKey, _) = KeyPair(HttpSignatureAlgorithm.HmacSha256);
        using var client = clientKey;
        var (serverKey, serverMaterial) = KeyPair(HttpSignatureAlgorithm.EcdsaP256Sha256);
        using var server = serverKey;
        var request = HttpMessageComponents.ForRequest("GET", Target, []);
        var requestSignature = MessageSigner.Sign(request, "sig1",
            new MessageSigner().CreateParameters([ComponentIdentifier.Method, ComponentIdentifier.TargetUri], "client", HttpSignatureAlgorithm.HmacSha256, "mutualauth", TimeSpan.FromMinutes(1)), client);
        var signedRequest = requestSignature.AddTo(request);
        var responseFields = new[] { new KeyValuePair<string, string>("content-digest", ContentDigest.Create(Body, ContentDigestAlgorithm.Sha256)) };
        var response = HttpMessageComponents.ForResponse(200, responseFields, signedRequest);
        var responseSignature = MessageSigner.Sign(response, "sig1", new MessageSigner().CreateParameters(
            [ComponentIdentifier.Status, ComponentIdentifier.Field("content-digest"), ComponentIdentifier.Field("signature").WithKey("sig1").OfRequest()], "server", HttpSignatureAlgorithm.EcdsaP256Sha256, "mutualauth", nonce: false), server);
        var input = new JsonObject
        {
            ["op"] = "verify",
            ["alg"] = "ecdsa-p256-sha256",
            ["keyid"] = "server",
            ["message"] = new JsonObject
            {
                ["status"] = 200,
                ["headers"] = NodePeer.Headers([.. responseFields, new("signature-input", responseSignature.SignatureInputMember), new("signature", responseSignature.SignatureMember)]),
            },
            ["request"] = new JsonObject
            {
                ["method"] = "GET",
                ["url"] = Target.ToString(),
                ["headers"] = NodePeer.Headers([new("signature-input", requestSignature.SignatureInputMember), new("signature", requestSignature.SignatureMember)]),
            },
        };
        Merge(input, serverMaterial(false));

        var verified = await NodePeer.Run(input);

        Assert.True(verified["verified"]!.GetValue<bool>(), verified.ToJsonString());
    }

    [Fact]
    public async Task An_hmac_response_signed_by_ours_with_the_derived_key_verifies_with_node_and_not_with_the_secret()
    {
        var (clientKey, material) = KeyPair(HttpSignatureAlgorithm.HmacSha256);
        using var client = clientKey;
        using var responseKey = HmacResponseKey.Derive(client, "client");
        var (request, requestSignature) = SignedRequest(client);
        var responseFields = new[] { new KeyValuePair<string, string>("content-digest", ContentDigest.Create(Body, ContentDigestAlgorithm.Sha256)) };
        var responseSignature = MessageSigner.Sign(HttpMessageComponents.ForResponse(200, responseFields, requestSignature.AddTo(request)), "sig1",
            new MessageSigner().CreateParameters(ResponseComponents, "client", HttpSignatureAlgorithm.HmacSha256, "mutualauth", nonce: false), responseKey);
        JsonObject Input(bool derived)
        {
            var input = new JsonObject
            {
                ["op"] = "verify",
                ["alg"] = "hmac-sha256",
                ["keyid"] = "client",
                ["message"] = new JsonObject
                {
                    ["status"] = 200,
                    ["headers"] = NodePeer.Headers([.. responseFields, new("signature-input", responseSignature.SignatureInputMember), new("signature", responseSignature.SignatureMember)]),
                },
                ["request"] = RequestJson(requestSignature),
            };
            Merge(input, material(false));
            if (derived)
            {
                input["responseKeyOf"] = "client";
            }

            return input;
        }

        var withDerivedKey = await NodePeer.Run(Input(derived: true));
        var withSecret = await NodePeer.Run(Input(derived: false));

        Assert.True(withDerivedKey["verified"]!.GetValue<bool>(), withDerivedKey.ToJsonString());
        Assert.False(withSecret["verified"]!.GetValue<bool>(), withSecret.ToJsonString());
    }

    [Fact]
    public async Task An_hmac_response_signed_by_node_with_the_derived_key_verifies_with_ours_under_the_client_policy()
    {
        var (clientKey, material) = KeyPair(HttpSignatureAlgorithm.HmacSha256);
        using var client = clientKey;
        var (request, requestSignature) = SignedRequest(client);
        var digest = ContentDigest.Create(Body, ContentDigestAlgorithm.Sha256);
        var input = new JsonObject
        {
            ["op"] = "sign",
            ["alg"] = "hmac-sha256",
            ["keyid"] = "client",
            ["responseKeyOf"] = "client",
            ["message"] = new JsonObject { ["status"] = 200, ["headers"] = new JsonObject { ["content-digest"] = digest } },
            ["request"] = RequestJson(requestSignature),
            ["fields"] = new JsonArray("@status", "content-digest", "signature;key=\"sig1\";req"),
            ["params"] = new JsonObject { ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["tag"] = "mutualauth" },
        };
        Merge(input, material(true));

        var signed = await NodePeer.Run(input);

        var response = HttpMessageComponents.ForResponse(200, NodePeer.Fields(signed["headers"]!), requestSignature.AddTo(request));
        using var responseKey = HmacResponseKey.Derive(client, "client");
        var policy = new SignatureVerificationPolicy { KeyId = "client", Tag = "mutualauth", RequiredComponents = ResponseComponents };
        var result = new MessageVerifier(id => id == "client" ? responseKey : null).Verify(response, policy);
        var withSecret = new MessageVerifier(id => id == "client" ? client : null).Verify(response, policy);
        Assert.True(result.Succeeded, result.Failure.ToString());
        Assert.Equal(SignatureVerificationFailure.BadSignature, withSecret.Failure);
    }

    private static readonly ComponentIdentifier[] ResponseComponents =
        [ComponentIdentifier.Status, ComponentIdentifier.Field("content-digest"), ComponentIdentifier.Field("signature").WithKey("sig1").OfRequest()];

    /// <summary>A GET of <see cref="Target"/> signed by the client as <c>sig1</c> (keyid <c>client</c>).</summary>
    private static (HttpMessageComponents Request, MessageSignature Signature) SignedRequest(HttpSignatureKey client)
    {
        var request = HttpMessageComponents.ForRequest("GET", Target, []);
        return (request, MessageSigner.Sign(request, "sig1",
            new MessageSigner().CreateParameters([ComponentIdentifier.Method, ComponentIdentifier.TargetUri], "client", HttpSignatureAlgorithm.HmacSha256, "mutualauth", TimeSpan.FromMinutes(1)), client));
    }

    private static JsonObject RequestJson(MessageSignature requestSignature) => new()
    {
        ["method"] = "GET",
        ["url"] = Target.ToString(),
        ["headers"] = NodePeer.Headers([new("signature-input", requestSignature.SignatureInputMember), new("signature", requestSignature.SignatureMember)]),
    };

    /// <summary>Our key, and how to hand the same key to the Node peer (secret, private or public PEM).</summary>
    private static (HttpSignatureKey Key, Func<bool, JsonObject> Material) KeyPair(HttpSignatureAlgorithm algorithm)
    {
        if (algorithm == HttpSignatureAlgorithm.HmacSha256)
        {
            var secret = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
            return (HttpSignatureKey.Hmac(secret), _ => new JsonObject { ["secret"] = Convert.ToBase64String(secret) });
        }

        var key = HttpSignatureKey.Generate(algorithm);
        var privatePem = key.ExportPrivateKeyPem();
        var publicPem = key.ExportPublicKeyPem()!;
        return (key, signing => signing ? new JsonObject { ["privateKey"] = privatePem } : new JsonObject { ["publicKey"] = publicPem });
    }

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (name, value) in source.ToList())
        {
            source.Remove(name);
            target[name] = value;
        }
    }
}
