using Microsoft.IdentityModel.Tokens;
using NSecPublicKey = NSec.Cryptography.PublicKey;

namespace MutualAuth.Tokens;

/// <summary>An Ed25519 public key (RFC 8037 OKP) for Microsoft.IdentityModel, which has no EdDSA: verified through NSec.</summary>
internal sealed class Ed25519SecurityKey : SecurityKey
{
    public Ed25519SecurityKey(NSecPublicKey publicKey)
    {
        PublicKey = publicKey;
        CryptoProviderFactory = new CryptoProviderFactory { CustomCryptoProvider = new Ed25519CryptoProvider() };
    }

    public NSecPublicKey PublicKey { get; }

    public override int KeySize => 256;
}

/// <summary>Hands Microsoft.IdentityModel a verifier for <c>EdDSA</c> on an <see cref="Ed25519SecurityKey"/>.</summary>
internal sealed class Ed25519CryptoProvider : ICryptoProvider
{
    public bool IsSupportedAlgorithm(string algorithm, params object[] args) =>
        algorithm == JwsAlgorithms.EdDSA && args.Length > 0 && args[0] is Ed25519SecurityKey;

    public object Create(string algorithm, params object[] args) =>
        IsSupportedAlgorithm(algorithm, args) ? new Ed25519SignatureProvider((Ed25519SecurityKey)args[0])
            : throw new NotSupportedException(algorithm);

    public void Release(object cryptoInstance) => (cryptoInstance as IDisposable)?.Dispose();

    private sealed class Ed25519SignatureProvider(Ed25519SecurityKey key) : SignatureProvider(key, JwsAlgorithms.EdDSA)
    {
        // Verify only: our own tokens are signed through SigningKey (JwsWriter), never through this provider.
        public override byte[] Sign(byte[] input) => throw new NotSupportedException("Ed25519 public keys do not sign.");

        public override bool Verify(byte[] input, byte[] signature) =>
            NSec.Cryptography.SignatureAlgorithm.Ed25519.Verify(key.PublicKey, input, signature);

        public override bool Verify(byte[] input, int inputOffset, int inputLength, byte[] signature, int signatureOffset, int signatureLength) =>
            NSec.Cryptography.SignatureAlgorithm.Ed25519.Verify(
                key.PublicKey, input.AsSpan(inputOffset, inputLength), signature.AsSpan(signatureOffset, signatureLength));

        protected override void Dispose(bool disposing)
        {
        }
    }
}
