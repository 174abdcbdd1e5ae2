using System.Security.Cryptography;

namespace MutualAuth.Storage.Sqlite;

/// <summary>
/// Seals secrets at rest (HMAC keys of message signatures) with AES-256-GCM under a 32-byte key kept in the data
/// folder (mode 0600, <see cref="DataFolder.SecretBoxKeyPath"/>). Sealed form: 12-byte nonce ‖ ciphertext ‖ 16-byte
/// tag; the context is bound as associated data (e.g. the keyid), so a sealed secret moved to another
/// record does not open.
/// </summary>
/// <param name="key">The 32-byte AES key.</param>
internal sealed class SecretBox(byte[] key)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>Opens the box of <paramref name="folder"/>, creating its key on first use.</summary>
    public static SecretBox For(DataFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        folder.EnsureCreated();
        return new SecretBox(DataFolder.ReadOrCreateSecret(folder.SecretBoxKeyPath));
    }

    /// <summary>Seals <paramref name="secret"/> for <paramref name="context"/>.</summary>
    public byte[] Seal(ReadOnlySpan<byte> secret, string context)
    {
        var sealedBytes = new byte[NonceSize + secret.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, secret, sealedBytes.AsSpan(NonceSize, secret.Length), sealedBytes.AsSpan(NonceSize + secret.Length), System.Text.Encoding.UTF8.GetBytes(context));
        return sealedBytes;
    }

    /// <summary>Opens what <see cref="Seal"/> made for the same <paramref name="context"/>.</summary>
    /// <exception cref="CryptographicException">The box, the context or the bytes differ.</exception>
    public byte[] Open(ReadOnlySpan<byte> sealedSecret, string context)
    {
        if (sealedSecret.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The sealed secret is too short.");
        }

        var secret = new byte[sealedSecret.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedSecret[..NonceSize], sealedSecret.Slice(NonceSize, secret.Length), sealedSecret[(NonceSize + secret.Length)..], secret, System.Text.Encoding.UTF8.GetBytes(context));
        return secret;
    }
}
