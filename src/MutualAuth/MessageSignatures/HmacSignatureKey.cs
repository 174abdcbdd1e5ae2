using System.Security.Cryptography;

namespace MutualAuth.MessageSignatures;

/// <summary><c>hmac-sha256</c> (RFC 9421 §3.3.3) with a shared secret; verification compares in constant time.</summary>
internal sealed class HmacSignatureKey : HttpSignatureKey
{
    public const int MinimumSecretLength = 32;
    private readonly byte[] _secret;

    public HmacSignatureKey(ReadOnlySpan<byte> secret)
        : base(HttpSignatureAlgorithm.HmacSha256)
    {
        if (secret.Length < MinimumSecretLength)
        {
            throw new ArgumentException($"An HMAC secret has at least {MinimumSecretLength} bytes.", nameof(secret));
        }

        _secret = secret.ToArray();
    }

    public override bool CanSign => true;

    public override string? ExportPublicKeyPem() => null;

    public override string ExportPrivateKeyPem() => throw new InvalidOperationException("An HMAC secret has no PEM form.");

    /// <summary>A new <c>hmac-sha256</c> key: HKDF-Expand (RFC 5869 §2.3, SHA-256) of this secret as the PRK with <paramref name="info"/>, 32 bytes.</summary>
    public HmacSignatureKey Expand(ReadOnlySpan<byte> info)
    {
        ThrowIfDisposed();
        Span<byte> derived = stackalloc byte[HMACSHA256.HashSizeInBytes];
        try
        {
            HKDF.Expand(HashAlgorithmName.SHA256, _secret, derived, info);
            return new HmacSignatureKey(derived);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
        }
    }

    protected override byte[] SignCore(ReadOnlySpan<byte> signatureBase) => HMACSHA256.HashData(_secret, signatureBase);

    protected override bool VerifyCore(ReadOnlySpan<byte> signatureBase, ReadOnlySpan<byte> signature)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_secret, signatureBase, expected);
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }

    protected override void Dispose(bool disposing)
    {
        CryptographicOperations.ZeroMemory(_secret);
        base.Dispose(disposing);
    }
}
