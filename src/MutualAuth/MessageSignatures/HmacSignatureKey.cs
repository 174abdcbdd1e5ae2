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
