using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Keys;

namespace MutualAuth.Tests.Keys;

public sealed class SigningKeyTests
{
    private static readonly byte[] Data = "signed by the key"u8.ToArray();

    public static TheoryData<string> Schemes() => new(Cases.Keys);

    private static readonly Dictionary<string, (Func<SigningKey> Key, SignatureScheme Scheme, int? Length)> Cases = new()
    {
        ["p256 der"] = (() => SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256), SignatureScheme.EcdsaDer(HashAlgorithmName.SHA256), null),
        ["p256 p1363"] = (() => SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256), SignatureScheme.EcdsaP1363(HashAlgorithmName.SHA256), 64),
        ["p384 p1363"] = (() => SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP384), SignatureScheme.EcdsaP1363(HashAlgorithmName.SHA384), 96),
        ["p521 der"] = (() => SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP521), SignatureScheme.EcdsaDer(HashAlgorithmName.SHA512), null),
        ["rsa pkcs1"] = (() => SoftwareSigningKey.Generate(SigningKeyAlgorithm.Rsa), SignatureScheme.RsaPkcs1(HashAlgorithmName.SHA256), 384),
        ["rsa pss"] = (() => SoftwareSigningKey.Generate(SigningKeyAlgorithm.Rsa), SignatureScheme.RsaPss(HashAlgorithmName.SHA512), 384),
        ["ed25519"] = (Ed25519SigningKey.Generate, SignatureScheme.Ed25519, 64),
    };

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Each_algorithm_signs_and_verifies_and_refuses_a_changed_message(string name)
    {
        var (create, scheme, length) = Cases[name];
        using var key = create();

        var signature = key.Sign(Data, scheme);

        Assert.True(key.Verify(Data, signature, scheme));
        Assert.False(key.Verify("another message"u8, signature, scheme));
        Assert.False(key.Verify(Data, signature.AsSpan(1), scheme));
        if (length is { } expected)
        {
            Assert.Equal(expected, signature.Length);
        }
    }

    [Theory]
    [InlineData(SigningKeyAlgorithm.EcdsaP256, "1.2.840.10045.2.1")]
    [InlineData(SigningKeyAlgorithm.Rsa, "1.2.840.113549.1.1.1")]
    public void The_signature_verifies_with_the_public_key_alone(SigningKeyAlgorithm algorithm, string keyOid)
    {
        using var key = SoftwareSigningKey.Generate(algorithm);
        var scheme = algorithm == SigningKeyAlgorithm.Rsa ? SignatureScheme.RsaPss(HashAlgorithmName.SHA256) : SignatureScheme.EcdsaP1363(HashAlgorithmName.SHA256);
        var signature = key.Sign(Data, scheme);
        var publicKey = key.PublicKey;

        Assert.Equal(keyOid, publicKey.Oid.Value);
        using var verifier = publicKey.GetECDsaPublicKey() as AsymmetricAlgorithm ?? publicKey.GetRSAPublicKey()!;
        Assert.True(verifier switch
        {
            ECDsa ec => ec.VerifyData(Data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            RSA rsa => rsa.VerifyData(Data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            _ => false,
        });
    }

    [Fact]
    public void A_scheme_for_another_key_type_is_refused()
    {
        using var ec = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
        using var ed = Ed25519SigningKey.Generate();

        Assert.Throws<ArgumentException>(() => ec.Sign(Data, SignatureScheme.RsaPkcs1(HashAlgorithmName.SHA256)));
        Assert.Throws<ArgumentException>(() => ec.Sign(Data, SignatureScheme.Ed25519));
        Assert.Throws<ArgumentException>(() => ed.Sign(Data, SignatureScheme.EcdsaDer(HashAlgorithmName.SHA256)));
    }

    [Theory]
    [InlineData(SigningKeyAlgorithm.EcdsaP256, "1.2.840.10045.4.3.2")]
    [InlineData(SigningKeyAlgorithm.EcdsaP384, "1.2.840.10045.4.3.3")]
    [InlineData(SigningKeyAlgorithm.EcdsaP521, "1.2.840.10045.4.3.4")]
    [InlineData(SigningKeyAlgorithm.Rsa, "1.2.840.113549.1.1.11")]
    public void A_certificate_request_is_signed_with_the_hash_that_fits_the_key(SigningKeyAlgorithm algorithm, string signatureOid)
    {
        using var key = SoftwareSigningKey.Generate(algorithm);

        var csr = key.CreateCertificateRequest(new X500DistinguishedName("CN=alice")).CreateSigningRequest();
        var parsed = CertificateRequest.LoadSigningRequest(csr, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);

        Assert.Equal(key.PublicKey.EncodedKeyValue.RawData, parsed.PublicKey.EncodedKeyValue.RawData);
        var outer = new AsnReader(csr, AsnEncodingRules.DER).ReadSequence();
        outer.ReadEncodedValue();
        Assert.Equal(signatureOid, outer.ReadSequence().ReadObjectIdentifier());
    }

    [Fact]
    public void A_pem_key_round_trips_and_weak_or_unknown_keys_are_refused()
    {
        using var key = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP384);
        using var reloaded = SoftwareSigningKey.FromPem(key.ExportPkcs8Pem());
        using var rsa1024 = RSA.Create(1024);
        using var secp256k1 = ECDsa.Create(ECCurve.CreateFromValue("1.3.132.0.10"));

        Assert.Equal(SigningKeyAlgorithm.EcdsaP384, reloaded.Algorithm);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), reloaded.ExportSubjectPublicKeyInfo());
        Assert.Throws<CryptographicException>(() => SoftwareSigningKey.FromPem(rsa1024.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<CryptographicException>(() => SoftwareSigningKey.FromPem(secp256k1.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<ArgumentException>(() => new SoftwareSigningKey(RSA.Create(1024)));
    }

    [Fact]
    public void Ed25519_keys_have_no_x509_use_and_disposed_keys_do_not_sign()
    {
        using var ed = Ed25519SigningKey.Generate();
        var key = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
        key.Dispose();

        Assert.Null(ed.Key);
        Assert.Throws<NotSupportedException>(ed.CreateX509SignatureGenerator);
        Assert.Throws<ObjectDisposedException>(() => key.Sign(Data, SignatureScheme.EcdsaDer(HashAlgorithmName.SHA256)));
    }
}
