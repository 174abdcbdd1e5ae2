using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using MutualAuth.MessageSignatures;

namespace MutualAuth.Benchmarks;

/// <summary>
/// RFC 9421 work per request for each algorithm: the client signing a typical request (<c>@method</c>,
/// <c>@target-uri</c>, <c>content-digest</c>; <c>created</c>, <c>expires</c>, a random <c>nonce</c>, <c>alg</c>,
/// <c>keyid</c>, <c>tag</c>) and writing both fields, and the server parsing the fields and verifying the signature with
/// the gateway's policy (tag, required components, created/expires window, nonce present). Key look-up, the replay
/// cache and the body digest are not included (see <see cref="ContentDigestBenchmarks"/>).
/// </summary>
[MemoryDiagnoser]
public class MessageSignatureBenchmarks
{
    private const string KeyId = "bench-key";
    private const string Tag = "mutualauth";
    private static readonly ComponentIdentifier[] Covered = [ComponentIdentifier.Method, ComponentIdentifier.TargetUri, ComponentIdentifier.Field(ContentDigest.FieldName)];
    private readonly MessageSigner _signer = new(TimeProvider.System);
    private HttpSignatureKey _signingKey = null!;
    private HttpSignatureKey _verificationKey = null!;
    private HttpMessageComponents _request = null!;
    private HttpMessageComponents _signedRequest = null!;
    private MessageVerifier _verifier = null!;
    private SignatureVerificationPolicy _policy = null!;

    [Params(HttpSignatureAlgorithm.HmacSha256, HttpSignatureAlgorithm.EcdsaP256Sha256, HttpSignatureAlgorithm.EcdsaP384Sha384,
        HttpSignatureAlgorithm.RsaPssSha512, HttpSignatureAlgorithm.RsaV15Sha256, HttpSignatureAlgorithm.Ed25519)]
    public HttpSignatureAlgorithm Algorithm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _signingKey = HttpSignatureKey.Generate(Algorithm);
        // The server holds only what it needs: the secret for HMAC, the public key otherwise.
        _verificationKey = Algorithm == HttpSignatureAlgorithm.HmacSha256 ? _signingKey : HttpSignatureKey.FromPem(_signingKey.ExportPublicKeyPem()!, Algorithm);
        var body = RandomNumberGenerator.GetBytes(1024);
        _request = HttpMessageComponents.ForRequest("POST", new Uri("https://api.example.org/orders/42?expand=items"),
            [new(ContentDigest.FieldName, ContentDigest.Create(body, ContentDigestAlgorithm.Sha256)), new("content-type", "application/json")]);
        var signature = SignRequest();
        _signedRequest = _request
            .WithField(SignatureFields.SignatureInput, signature.SignatureInputMember)
            .WithField(SignatureFields.Signature, signature.SignatureMember);
        _verifier = new MessageVerifier(keyId => keyId == KeyId ? _verificationKey : null, TimeProvider.System);
        _policy = new SignatureVerificationPolicy
        {
            Tag = Tag,
            RequiredComponents = Covered,
            RequireCreated = true,
            RequireExpires = true,
            RequireNonce = true,
        };
        if (!VerifyRequest())
        {
            throw new InvalidOperationException("The benchmark's own signature does not verify.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _signingKey.Dispose();
        _verificationKey.Dispose();
    }

    [Benchmark(Description = "sign request (parameters with nonce, signature, both fields)")]
    public string Sign()
    {
        var signature = SignRequest();
        return signature.SignatureInputMember + signature.SignatureMember;
    }

    [Benchmark(Description = "verify request (parse fields, policy, signature)")]
    public bool Verify() => VerifyRequest();

    private MessageSignature SignRequest() =>
        MessageSigner.Sign(_request, "sig1", _signer.CreateParameters(Covered, KeyId, Algorithm, Tag, TimeSpan.FromMinutes(5)), _signingKey);

    private bool VerifyRequest() => _verifier.Verify(_signedRequest, _policy).Succeeded;
}
