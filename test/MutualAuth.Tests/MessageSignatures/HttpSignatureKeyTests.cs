using System.Security.Cryptography;
using System.Text;
using MutualAuth.MessageSignatures;

namespace MutualAuth.Tests.MessageSignatures;

public sealed class HttpSignatureKeyTests
{
    public static TheoryData<HttpSignatureAlgorithm> Algorithms() => new(Enum.GetValues<HttpSignatureAlgorithm>());

    [Theory]
    [MemberData(nameof(RfcVectors.Names), MemberType = typeof(RfcVectors))]
    public void The_rfc_signature_verifies_over_the_rfc_signature_base(string name)
    {
        var vector = RfcVectors.Named(name);
        using var key = RfcVectors.Key(vector.KeyId, vector.Algorithm);
        var signatureBase = Encoding.ASCII.GetBytes(vector.Base);

        Assert.True(key.Verify(signatureBase, vector.SignatureBytes));
        if (vector.Deterministic)
        {
            Assert.Equal(vector.SignatureBytes, key.Sign(signatureBase));
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_generated_key_signs_and_verifies_and_refuses_a_changed_base(HttpSignatureAlgorithm algorithm)
    {
        using var key = HttpSignatureKey.Generate(algorithm);
        var signature = key.Sign("\"@method\": GET"u8);

        Assert.Equal(algorithm, key.Algorithm);
        Assert.True(key.Verify("\"@method\": GET"u8, signature));
        Assert.False(key.Verify("\"@method\": PUT"u8, signature));
        Assert.False(key.Verify("\"@method\": GET"u8, signature.AsSpan(1)));
    }

    [Theory]
    [InlineData(HttpSignatureAlgorithm.EcdsaP256Sha256)]
    [InlineData(HttpSignatureAlgorithm.EcdsaP384Sha384)]
    [InlineData(HttpSignatureAlgorithm.RsaPssSha512)]
    [InlineData(HttpSignatureAlgorithm.RsaV15Sha256)]
    [InlineData(HttpSignatureAlgorithm.Ed25519)]
    public void Exported_pem_keys_load_again_and_the_public_half_cannot_sign(HttpSignatureAlgorithm algorithm)
    {
        using var key = HttpSignatureKey.Generate(algorithm);
        using var reloaded = HttpSignatureKey.FromPem(key.ExportPrivateKeyPem(), algorithm);
        using var publicKey = HttpSignatureKey.FromPem(key.ExportPublicKeyPem()!, algorithm);

        Assert.True(reloaded.CanSign);
        Assert.False(publicKey.CanSign);
        Assert.True(publicKey.Verify("x"u8, reloaded.Sign("x"u8)));
        Assert.Equal(MessageSignatureError.KeyCannotSign, Assert.Throws<MessageSignatureException>(() => publicKey.Sign("x"u8)).Error);
    }

    [Fact]
    public void Ecdsa_signatures_are_r_and_s_concatenated_not_der()
    {
        using var p256 = HttpSignatureKey.Generate(HttpSignatureAlgorithm.EcdsaP256Sha256);
        using var p384 = HttpSignatureKey.Generate(HttpSignatureAlgorithm.EcdsaP384Sha384);

        Assert.Equal(64, p256.Sign("x"u8).Length);
        Assert.Equal(96, p384.Sign("x"u8).Length);
    }

    [Fact]
    public void A_tampered_hmac_is_refused_and_a_short_secret_is_not_accepted()
    {
        using var key = RfcVectors.Key("test-shared-secret", HttpSignatureAlgorithm.HmacSha256);
        var vector = RfcVectors.Starting("B.2.5");
        var signature = vector.SignatureBytes;
        signature[^1] ^= 1;

        Assert.False(key.Verify(Encoding.ASCII.GetBytes(vector.Base), signature));
        Assert.Throws<ArgumentException>(() => HttpSignatureKey.Hmac(new byte[31]));
    }

    [Fact]
    public void A_key_that_does_not_fit_its_registered_algorithm_is_refused()
    {
        var p256 = RfcVectors.Read("test-key-ecc-p256.pem");

        Assert.Throws<ArgumentException>(() => HttpSignatureKey.FromPem(p256, HttpSignatureAlgorithm.EcdsaP384Sha384));
        Assert.ThrowsAny<Exception>(() => HttpSignatureKey.FromPem(p256, HttpSignatureAlgorithm.Ed25519));
        Assert.Throws<ArgumentException>(() => HttpSignatureKey.FromJwk(RfcVectors.Read("test-key-rsa-pss.jwk"), HttpSignatureAlgorithm.EcdsaP256Sha256));
        using var small = RSA.Create(1024);
        Assert.Throws<ArgumentException>(() => HttpSignatureKey.FromRsa(small, HttpSignatureAlgorithm.RsaV15Sha256));
    }

    [Fact]
    public void Jwk_keys_of_every_type_load()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(true);
        var ecJwk = $$"""{"kty":"EC","crv":"P-256","x":"{{B64(p.Q.X!)}}","y":"{{B64(p.Q.Y!)}}","d":"{{B64(p.D!)}}"}""";
        using var fromJwk = HttpSignatureKey.FromJwk(ecJwk, HttpSignatureAlgorithm.EcdsaP256Sha256);
        using var publicEc = HttpSignatureKey.FromJwk($$"""{"kty":"EC","crv":"P-256","x":"{{B64(p.Q.X!)}}","y":"{{B64(p.Q.Y!)}}"}""", HttpSignatureAlgorithm.EcdsaP256Sha256);
        using var hmac = HttpSignatureKey.FromJwk($$"""{"kty":"oct","k":"{{B64(new byte[32])}}"}""", HttpSignatureAlgorithm.HmacSha256);
        using var rsaPss = RfcVectors.Key("test-key-rsa-pss", HttpSignatureAlgorithm.RsaPssSha512);

        Assert.True(publicEc.Verify("x"u8, fromJwk.Sign("x"u8)));
        Assert.True(hmac.Verify("x"u8, hmac.Sign("x"u8)));
        Assert.True(rsaPss.CanSign);
        Assert.Equal(256, rsaPss.Sign("x"u8).Length);
    }

    [Fact]
    public void The_rfc_rsa_pss_pkcs8_key_does_not_import_from_pem_but_its_jwk_does()
    {
        Assert.ThrowsAny<CryptographicException>(() => HttpSignatureKey.FromPem(RfcVectors.Read("test-key-rsa-pss.pem"), HttpSignatureAlgorithm.RsaPssSha512));
        using var key = RfcVectors.Key("test-key-rsa-pss", HttpSignatureAlgorithm.RsaPssSha512);
        Assert.True(key.CanSign);
    }

    private static string B64(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
