using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MutualAuth.Keys;
using MutualAuth.Keys.Pkcs11;
using MutualAuth.Testing;

namespace MutualAuth.Tests.Keys.Pkcs11;

public sealed class TokenSigningKeyTests
{
    private static readonly byte[] Pin = Encoding.UTF8.GetBytes(SoftHsm.Pin);

    [Theory]
    [InlineData(SoftHsm.Ec256, SigningKeyAlgorithm.EcdsaP256)]
    [InlineData(SoftHsm.Ec384, SigningKeyAlgorithm.EcdsaP384)]
    [InlineData(SoftHsm.Rsa, SigningKeyAlgorithm.Rsa)]
    public async Task A_token_key_signs_on_the_token_and_never_exports(string label, SigningKeyAlgorithm algorithm)
    {
        await SoftHsm.Ready();
        using var key = TokenSigningKey.Open(Pkcs11Uri.Parse(SoftHsm.KeyUri(label)), SoftHsm.Module, Pin);
        Assert.Equal(algorithm, key.Algorithm);
        var scheme = algorithm == SigningKeyAlgorithm.Rsa ? SignatureScheme.RsaPss(HashAlgorithmName.SHA256) : SignatureScheme.EcdsaP1363(HashAlgorithmName.SHA256);
        var signature = key.Sign("hello"u8, scheme);
        Assert.True(key.Verify("hello"u8, signature, scheme));
        Assert.ThrowsAny<CryptographicException>(() => key.Key!.ExportPkcs8PrivateKey());

        var request = key.CreateCertificateRequest(new X500DistinguishedName("CN=card")).CreateSigningRequest();
        var parsed = CertificateRequest.LoadSigningRequest(request, key.SignatureHash, CertificateRequestLoadOptions.Default);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), parsed.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task A_wrong_pin_is_refused_as_pin_incorrect()
    {
        await SoftHsm.Ready();
        var e = Assert.Throws<TokenException>(() => TokenSigningKey.Open(Pkcs11Uri.Parse($"pkcs11:token={SoftHsm.SpareToken};object=none"), SoftHsm.Module, "00000000"u8));
        Assert.Equal(TokenError.PinIncorrect, e.Error);
        Assert.Contains("PIN incorrect", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_absent_token_and_a_missing_key_are_told_apart()
    {
        await SoftHsm.Ready();
        Assert.Equal(TokenError.TokenAbsent, Assert.Throws<TokenException>(() => TokenSigningKey.Open(Pkcs11Uri.Parse("pkcs11:token=no-such-card;object=k"), SoftHsm.Module, Pin)).Error);
        Assert.Equal(TokenError.ObjectMissing, Assert.Throws<TokenException>(() => TokenSigningKey.Open(Pkcs11Uri.Parse($"pkcs11:token={SoftHsm.Token};object=no-such-key"), SoftHsm.Module, Pin)).Error);
    }

    [Fact]
    public async Task No_pin_is_refused_at_once()
    {
        await SoftHsm.Ready();
        Assert.Equal(TokenError.PinRequired, Assert.Throws<TokenException>(() => TokenSigningKey.Open(Pkcs11Uri.Parse(SoftHsm.KeyUri(SoftHsm.Ec256)), SoftHsm.Module, [])).Error);
    }
}
