using System.Text;

namespace MutualAuth.MessageSignatures;

/// <summary>
/// The key that signs (server) and verifies (client) the response to a request signed with a shared secret
/// (<c>hmac-sha256</c>, RFC 9421 §3.3.3). It is derived from the client's secret, never the secret itself, so a request
/// signature and a response signature can never stand in for each other (key separation):
/// <c>response key = HKDF-Expand(PRK = secret, info, L = 32)</c> with SHA-256 (RFC 5869 §2.3) and
/// <c>info = ASCII("mutualauth response signature v1") ‖ 0x00 ‖ UTF-8(keyid)</c>, the <c>keyid</c> being the client's.
/// The secret is already a uniformly random key of at least 32 bytes, so it is used as the PRK without the Extract
/// step (RFC 5869 §3.3). The response is then signed with <c>hmac-sha256</c> under this key and the client's
/// <c>keyid</c>: it proves possession of the shared secret, which only the server and that client hold.
/// </summary>
internal static class HmacResponseKey
{
    /// <summary>The fixed part of the HKDF <c>info</c>; a new derivation gets a new version.</summary>
    public const string Info = "mutualauth response signature v1";

    /// <summary>Derives the response key of the client <paramref name="keyId"/> from its secret.</summary>
    /// <param name="secretKey">The client's <c>hmac-sha256</c> key, as made by <see cref="HttpSignatureKey.Hmac"/>. It is not changed.</param>
    /// <param name="keyId">The client's <c>keyid</c>, the one its requests are signed under.</param>
    /// <returns>A new <c>hmac-sha256</c> key of 32 bytes; the caller disposes it (its bytes are zeroed).</returns>
    /// <exception cref="ArgumentException">The key is not an <c>hmac-sha256</c> key made by <see cref="HttpSignatureKey.Hmac"/> (its secret cannot be read), or the keyid is empty.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public static HttpSignatureKey Derive(HttpSignatureKey secretKey, string keyId)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        if (secretKey is not HmacSignatureKey hmac)
        {
            throw new ArgumentException("Response keys are derived from an hmac-sha256 secret made by HttpSignatureKey.Hmac.", nameof(secretKey));
        }

        return hmac.Expand(InfoFor(keyId));
    }

    /// <summary>Whether <see cref="Derive"/> accepts <paramref name="secretKey"/>.</summary>
    public static bool CanDerive(HttpSignatureKey secretKey) => secretKey is HmacSignatureKey;

    /// <summary>The HKDF <c>info</c> bytes for <paramref name="keyId"/>.</summary>
    internal static byte[] InfoFor(string keyId)
    {
        var info = new byte[Info.Length + 1 + Encoding.UTF8.GetByteCount(keyId)];
        Encoding.ASCII.GetBytes(Info, info);
        Encoding.UTF8.GetBytes(keyId, info.AsSpan(Info.Length + 1));
        return info;
    }
}
