using System.Text;
using Microsoft.Extensions.Time.Testing;
using MutualAuth.MessageSignatures;

namespace MutualAuth.Tests.MessageSignatures;

public sealed class MessageVerifierTests
{
    private const long RfcCreated = 1618884473;
    private static readonly FakeTimeProvider RfcTime = new(DateTimeOffset.FromUnixTimeSeconds(RfcCreated + 10));

    [Theory]
    [MemberData(nameof(RfcVectors.Names), MemberType = typeof(RfcVectors))]
    public void Every_rfc_vector_verifies_when_selected_by_its_label(string name)
    {
        var vector = RfcVectors.Named(name);
        var message = RfcMessages.For(vector.Message).WithField("Signature-Input", vector.SignatureInput).WithField("Signature", vector.Signature);
        var verifier = new MessageVerifier(keyId => keyId == vector.KeyId ? RfcVectors.PublicKeyOrSecret(vector) : null, RfcTime);

        var result = verifier.Verify(message, new SignatureVerificationPolicy { Label = vector.Label });

        Assert.Equal(SignatureVerificationFailure.None, result.Failure);
        Assert.Equal(vector.KeyId, result.KeyId);
    }

    [Theory]
    [InlineData("B.2.5")]
    [InlineData("B.2.6")]
    [InlineData("B.4")]
    public void The_signer_reproduces_deterministic_rfc_signatures_byte_for_byte(string prefix)
    {
        var vector = RfcVectors.Starting(prefix);
        var parameters = SignatureFields.ParseSignatureInput([vector.SignatureInput])[0].Value;
        using var key = RfcVectors.Key(vector.KeyId, vector.Algorithm);

        var signature = MessageSigner.Sign(RfcMessages.For(vector.Message), vector.Label, parameters, key);

        Assert.Equal(vector.Base, signature.SignatureBase);
        Assert.Equal(vector.Signature, signature.SignatureMember);
        Assert.Equal(vector.SignatureInput, signature.SignatureInputMember);
    }

    [Fact]
    public void The_label_is_selected_by_tag_or_keyid_and_never_by_position()
    {
        var b21 = RfcVectors.Starting("B.2.1");
        var b22 = RfcVectors.Starting("B.2.2");
        var message = RfcMessages.Request()
            .WithField("Signature-Input", b21.SignatureInput).WithField("Signature-Input", b22.SignatureInput)
            .WithField("Signature", b21.Signature + ", " + b22.Signature);
        var verifier = new MessageVerifier(_ => RfcVectors.PublicKeyOrSecret(b21), RfcTime);

        var byTag = verifier.Verify(message, new SignatureVerificationPolicy { Tag = "header-example" });
        var byKeyOnly = verifier.Verify(message, new SignatureVerificationPolicy { KeyId = "test-key-rsa-pss" });
        var otherTag = verifier.Verify(message, new SignatureVerificationPolicy { Tag = "mutualauth" });

        Assert.True(byTag.Succeeded);
        Assert.Equal("sig-b22", byTag.Label);
        Assert.Equal(SignatureVerificationFailure.AmbiguousSignature, byKeyOnly.Failure);
        Assert.Equal(SignatureVerificationFailure.NoMatchingSignature, otherTag.Failure);
        Assert.Throws<ArgumentException>(() => verifier.Verify(message, new SignatureVerificationPolicy()));
    }

    [Fact]
    public void A_signature_under_another_label_is_not_used()
    {
        var (message, verifier) = SignedRequest(tag: "mutualauth", label: "other");

        Assert.Equal(SignatureVerificationFailure.NoMatchingSignature, verifier.Verify(message, new SignatureVerificationPolicy { Label = "sig1" }).Failure);
        Assert.True(verifier.Verify(message, new SignatureVerificationPolicy { Tag = "mutualauth" }).Succeeded);
    }

    [Fact]
    public void An_alg_other_than_the_registered_one_is_refused()
    {
        // The attacker knows the server's registered Ed25519 public key and tries it as an HMAC secret (algorithm confusion).
        using var registered = HttpSignatureKey.Generate(HttpSignatureAlgorithm.Ed25519);
        using var forged = HttpSignatureKey.Hmac(Encoding.ASCII.GetBytes(registered.ExportPublicKeyPem()!));
        var request = RfcMessages.Request();
        var parameters = new MessageSigner(RfcTime).CreateParameters([ComponentIdentifier.Method], "client-1", HttpSignatureAlgorithm.HmacSha256, "mutualauth");
        var withAlg = MessageSigner.Sign(request, "sig1", parameters, forged).AddTo(request);
        var withoutAlgParameters = new MessageSigner(RfcTime).CreateParameters([ComponentIdentifier.Method], "client-1", tag: "mutualauth");
        var withoutAlg = MessageSigner.Sign(request, "sig1", withoutAlgParameters, forged).AddTo(request);
        var verifier = new MessageVerifier(_ => registered, RfcTime);
        var policy = new SignatureVerificationPolicy { Tag = "mutualauth" };

        Assert.Equal(SignatureVerificationFailure.AlgorithmMismatch, verifier.Verify(withAlg, policy).Failure);
        Assert.Equal(SignatureVerificationFailure.BadSignature, verifier.Verify(withoutAlg, policy).Failure);
        Assert.Equal(MessageSignatureError.AlgorithmMismatch, Assert.Throws<MessageSignatureException>(() => MessageSigner.Sign(request, "sig1", parameters, registered)).Error);
    }

    [Fact]
    public void Expired_created_in_the_future_and_too_old_signatures_are_refused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(RfcCreated));
        var (message, _) = SignedRequest(tag: "mutualauth", lifetime: TimeSpan.FromSeconds(60), time: time);
        var policy = new SignatureVerificationPolicy { Tag = "mutualauth", ClockSkew = TimeSpan.FromSeconds(5), MaxAge = TimeSpan.FromMinutes(5) };

        Assert.Equal(SignatureVerificationFailure.None, VerifyAt(message, RfcCreated + 64, policy));
        Assert.Equal(SignatureVerificationFailure.Expired, VerifyAt(message, RfcCreated + 66, policy));
        Assert.Equal(SignatureVerificationFailure.None, VerifyAt(message, RfcCreated - 5, policy));
        Assert.Equal(SignatureVerificationFailure.CreatedInFuture, VerifyAt(message, RfcCreated - 6, policy));
        var (lasting, _) = SignatureTools.Sign(RfcMessages.Request(), "sig1", [ComponentIdentifier.Method], tag: "mutualauth", time: time);
        Assert.Equal(SignatureVerificationFailure.TooOld, VerifyAt(lasting, RfcCreated + 306, policy));
        Assert.Equal(SignatureVerificationFailure.MissingExpires, VerifyAt(lasting, RfcCreated, new SignatureVerificationPolicy { Tag = "mutualauth", RequireExpires = true }));
    }

    [Fact]
    public void A_tampered_hmac_signed_request_is_refused()
    {
        var (message, verifier) = SignedRequest(tag: "mutualauth");
        var tampered = HttpMessageComponents.ForRequest(
            "POST",
            message.TargetUri!,
            message.FieldNames.SelectMany(n => message.FieldLines(n)!.Select(v => new KeyValuePair<string, string>(n, n == "content-type" ? "text/plain" : v))));

        Assert.True(verifier.Verify(message, new SignatureVerificationPolicy { Tag = "mutualauth" }).Succeeded);
        Assert.Equal(SignatureVerificationFailure.BadSignature, verifier.Verify(tampered, new SignatureVerificationPolicy { Tag = "mutualauth" }).Failure);
    }

    [Fact]
    public void Policy_requirements_unknown_keys_and_missing_fields_have_their_codes()
    {
        var (message, verifier) = SignedRequest(tag: "mutualauth");
        var unknownKeys = new MessageVerifier(_ => null, RfcTime);

        Assert.Equal(SignatureVerificationFailure.MissingRequiredComponent, verifier.Verify(message, new SignatureVerificationPolicy { Tag = "mutualauth", RequiredComponents = [ComponentIdentifier.TargetUri, ComponentIdentifier.Field("content-length")] }).Failure);
        Assert.Equal(SignatureVerificationFailure.UnknownKey, unknownKeys.Verify(message, new SignatureVerificationPolicy { Tag = "mutualauth" }).Failure);
        Assert.Equal(SignatureVerificationFailure.MissingSignature, verifier.Verify(RfcMessages.Request(), new SignatureVerificationPolicy { Tag = "mutualauth" }).Failure);
        Assert.Equal(SignatureVerificationFailure.MalformedSignatureFields, verifier.Verify(RfcMessages.Request().WithField("Signature-Input", "sig1=(").WithField("Signature", "sig1=:AA==:"), new SignatureVerificationPolicy { Label = "sig1" }).Failure);
        Assert.Equal(SignatureVerificationFailure.SignatureValueMissing, verifier.Verify(RfcMessages.Request().WithField("Signature-Input", "sig1=();created=1618884473;keyid=\"client-1\"").WithField("Signature", "sig2=:AA==:"), new SignatureVerificationPolicy { Label = "sig1" }).Failure);
        Assert.Equal(SignatureVerificationFailure.MissingKeyId, verifier.Verify(RfcMessages.Request().WithField("Signature-Input", "sig1=();created=1618884473").WithField("Signature", "sig1=:AA==:"), new SignatureVerificationPolicy { Label = "sig1" }).Failure);
        Assert.Equal(SignatureVerificationFailure.DuplicateComponent, verifier.Verify(RfcMessages.Request().WithField("Signature-Input", "sig1=(\"date\" \"date\");created=1618884473;keyid=\"client-1\"").WithField("Signature", "sig1=:AA==:"), new SignatureVerificationPolicy { Label = "sig1" }).Failure);
        Assert.Equal(SignatureVerificationFailure.MissingComponent, verifier.Verify(RfcMessages.Request().WithField("Signature-Input", "sig1=(\"x-absent\");created=1618884473;keyid=\"client-1\"").WithField("Signature", "sig1=:AA==:"), new SignatureVerificationPolicy { Label = "sig1" }).Failure);
    }

    [Fact]
    public async Task The_nonce_is_returned_for_the_replay_check_and_keys_may_be_resolved_asynchronously()
    {
        var (message, _) = SignedRequest(tag: "mutualauth");
        var verifier = new MessageVerifier((keyId, _) => ValueTask.FromResult<HttpSignatureKey?>(SignatureTools.ClientKey), RfcTime);

        var result = await verifier.VerifyAsync(message, new SignatureVerificationPolicy { Tag = "mutualauth", RequireNonce = true });

        Assert.True(result.Succeeded);
        Assert.Equal(22, result.Nonce!.Length);
        Assert.Same(SignatureTools.ClientKey, result.Key);
    }

    [Fact]
    public void Req_binds_the_response_to_the_request_signature()
    {
        var (request, _) = SignedRequest(tag: "mutualauth");
        using var serverKey = HttpSignatureKey.Generate(HttpSignatureAlgorithm.Ed25519);
        var bound = new[] { ComponentIdentifier.Status, ComponentIdentifier.Field("content-digest"), ComponentIdentifier.Field("signature").WithKey("sig1").OfRequest(), ComponentIdentifier.Method.OfRequest() };
        var response = HttpMessageComponents.ForResponse(200, [new("Content-Digest", "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:")], request);
        var parameters = new MessageSigner(RfcTime).CreateParameters(bound, "server", HttpSignatureAlgorithm.Ed25519, "mutualauth");
        var signedResponse = MessageSigner.Sign(response, "sig1", parameters, serverKey).AddTo(response);
        var policy = new SignatureVerificationPolicy { Tag = "mutualauth", KeyId = "server", RequiredComponents = [ComponentIdentifier.Field("signature").WithKey("sig1").OfRequest()] };
        var clientSide = new MessageVerifier(keyId => keyId == "server" ? serverKey : null, RfcTime);

        Assert.True(clientSide.Verify(signedResponse, policy).Succeeded);
        var (otherRequest, _) = SignedRequest(tag: "mutualauth");
        var rebound = HttpMessageComponents.ForResponse(200, signedResponse.FieldNames.SelectMany(n => signedResponse.FieldLines(n)!.Select(v => new KeyValuePair<string, string>(n, v))), otherRequest);
        Assert.Equal(SignatureVerificationFailure.BadSignature, clientSide.Verify(rebound, policy).Failure);
        var unbound = MessageSigner.Sign(response, "sig1", new MessageSigner(RfcTime).CreateParameters([ComponentIdentifier.Status], "server", tag: "mutualauth"), serverKey).AddTo(response);
        Assert.Equal(SignatureVerificationFailure.MissingRequiredComponent, clientSide.Verify(unbound, policy).Failure);
    }

    private static SignatureVerificationFailure VerifyAt(HttpMessageComponents message, long now, SignatureVerificationPolicy policy) =>
        new MessageVerifier(_ => SignatureTools.ClientKey, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(now))).Verify(message, policy).Failure;

    private static (HttpMessageComponents Message, MessageVerifier Verifier) SignedRequest(string tag, string label = "sig1", TimeSpan? lifetime = null, TimeProvider? time = null)
    {
        var (message, _) = SignatureTools.Sign(
            RfcMessages.Request(), label, [ComponentIdentifier.Method, ComponentIdentifier.TargetUri, ComponentIdentifier.Field("content-type"), ComponentIdentifier.Field("content-digest")], tag, lifetime, time ?? RfcTime);
        return (message, new MessageVerifier(keyId => keyId == "client-1" ? SignatureTools.ClientKey : null, RfcTime));
    }
}
