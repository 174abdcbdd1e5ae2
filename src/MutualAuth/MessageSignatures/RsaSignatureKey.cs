using System.Security.Cryptography;

namespace MutualAuth.MessageSignatures;

/// <summary><c>rsa-pss-sha512</c> (64-byte salt, MGF1-SHA-512) and <c>rsa-v1_5-sha256</c> (RFC 9421 §3.3.1–2); at least 2048 bits.</summary>
internal sealed class RsaSignatureKey : HttpSignatureKey
{
    public const int MinimumKeySize = 2048;
    private readonly RSA _key;
    private readonly HashAlgorithmName _hash;
    private readonly RSASignaturePadding _padding;

    public RsaSignatureKey(RSA key, HttpSignatureAlgorithm algorithm)
        : base(algorithm)
    {
        ArgumentNullException.ThrowIfNull(key);
        (_hash, _padding) = algorithm switch
        {
            // RSASignaturePadding.Pss uses MGF1 with the signing hash and a salt as long as the hash (64 bytes for SHA-512).
            HttpSignatureAlgorithm.RsaPssSha512 => (HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
            HttpSignatureAlgorithm.RsaV15Sha256 => (HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException($"{HttpSignatureAlgorithms.Name(algorithm)} is not an RSA algorithm.", nameof(algorithm)),
        };
        if (key.KeySize < MinimumKeySize)
        {
            throw new ArgumentException($"RSA keys have at least {MinimumKeySize} bits.", nameof(key));
        }

        _key = key;
        CanSign = KeyImport.HoldsPrivateKey(() => key.ExportParameters(true).D);
    }

    public override bool CanSign { get; }

    public override string? ExportPublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    public override string ExportPrivateKeyPem() =>
        CanSign ? _key.ExportPkcs8PrivateKeyPem() : throw new InvalidOperationException("This is a public key.");

    protected override byte[] SignCore(ReadOnlySpan<byte> signatureBase) => _key.SignData(signatureBase, _hash, _padding);

    protected override bool VerifyCore(ReadOnlySpan<byte> signatureBase, ReadOnlySpan<byte> signature) =>
        _key.VerifyData(signatureBase, signature, _hash, _padding);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key.Dispose();
        }

        base.Dispose(disposing);
    }
}
