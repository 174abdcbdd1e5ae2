using System.Security.Cryptography;
using MutualAuth.Keys;

namespace MutualAuth.MessageSignatures;

/// <summary>
/// A key that signs and verifies RFC 9421 signature bases with exactly one <see cref="HttpSignatureAlgorithm"/>, fixed
/// when loaded and never taken from a message (§3.3). Dispose it to release the native key.
/// </summary>
public abstract class HttpSignatureKey : IDisposable
{
    /// <summary>Creates a key for <paramref name="algorithm"/>.</summary>
    protected HttpSignatureKey(HttpSignatureAlgorithm algorithm)
    {
        _ = HttpSignatureAlgorithms.Name(algorithm);
        Algorithm = algorithm;
    }

    /// <summary>The algorithm this key is registered for.</summary>
    public HttpSignatureAlgorithm Algorithm { get; }

    /// <summary>Whether the key can sign (it holds a private key or the shared secret).</summary>
    public abstract bool CanSign { get; }

    /// <summary>
    /// An HMAC-SHA256 key (<c>hmac-sha256</c>, §3.3.3) from a shared secret of at least 32 bytes (the RFC 9421 test
    /// secret is 64). The bytes are copied.
    /// </summary>
    /// <exception cref="ArgumentException">The secret is shorter than 32 bytes.</exception>
    public static HttpSignatureKey Hmac(ReadOnlySpan<byte> secret) => new HmacSignatureKey(secret);

    /// <summary>An ECDSA key; the curve chooses <c>ecdsa-p256-sha256</c> or <c>ecdsa-p384-sha384</c>. Takes ownership of <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The curve is neither P-256 nor P-384.</exception>
    public static HttpSignatureKey FromEcdsa(ECDsa key) => EcdsaSignatureKey.Create(key, null);

    /// <summary>An RSA key (at least 2048 bits) for <c>rsa-pss-sha512</c> or <c>rsa-v1_5-sha256</c>. Takes ownership of <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The algorithm is not an RSA one, or the key is shorter than 2048 bits.</exception>
    public static HttpSignatureKey FromRsa(RSA key, HttpSignatureAlgorithm algorithm) => new RsaSignatureKey(key, algorithm);

    /// <summary>
    /// An asymmetric key that signs through <paramref name="key"/> (in memory or in a token), which stays the caller's:
    /// dispose it after this key.
    /// </summary>
    /// <exception cref="ArgumentException">The algorithm is HMAC or does not fit the key (curve, RSA, Ed25519).</exception>
    public static HttpSignatureKey FromSigningKey(SigningKey key, HttpSignatureAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(key);

        // HMAC is a shared secret that both sides hold and that verifies as well as signs, not a private key: it stays
        // HttpSignatureKey.Hmac and never becomes a SigningKey (which a token could hold and which never leaves it).
        return (algorithm, key.Algorithm) switch
        {
            (HttpSignatureAlgorithm.EcdsaP256Sha256 or HttpSignatureAlgorithm.EcdsaP384Sha384, SigningKeyAlgorithm.EcdsaP256 or SigningKeyAlgorithm.EcdsaP384) =>
                EcdsaSignatureKey.Create(key, algorithm),
            (HttpSignatureAlgorithm.RsaPssSha512 or HttpSignatureAlgorithm.RsaV15Sha256, SigningKeyAlgorithm.Rsa) => new RsaSignatureKey(key, algorithm),
            (HttpSignatureAlgorithm.Ed25519, SigningKeyAlgorithm.Ed25519) => Ed25519SignatureKey.FromSigningKey(key),
            _ => throw new ArgumentException($"A {key.Algorithm} key cannot sign {HttpSignatureAlgorithms.Name(algorithm)}.", nameof(algorithm)),
        };
    }

    /// <summary>
    /// Loads a key from PEM: the private key (PKCS#8, SEC1, PKCS#1) when the text has one, else the public key (SPKI,
    /// PKCS#1); other blocks (certificates) are ignored.
    /// </summary>
    /// <param name="pem">The PEM text; may hold both the private and the public key.</param>
    /// <param name="algorithm">The algorithm the key is registered for.</param>
    /// <exception cref="ArgumentException">No key block, an HMAC algorithm, or a key that does not fit the algorithm.</exception>
    /// <exception cref="CryptographicException">The key cannot be imported (e.g. PKCS#8 with the id-RSASSA-PSS OID: use <see cref="FromJwk"/>).</exception>
    public static HttpSignatureKey FromPem(string pem, HttpSignatureAlgorithm algorithm) => KeyImport.FromPem(pem, algorithm);

    /// <summary>
    /// Loads a key from a JSON Web Key (RFC 7517): <c>oct</c> (k), <c>EC</c> (P-256/P-384), <c>RSA</c> (with all CRT
    /// parameters when private), <c>OKP</c> (Ed25519, RFC 8037). A private key is loaded when <c>d</c> is present.
    /// </summary>
    /// <param name="json">The JWK object.</param>
    /// <param name="algorithm">The algorithm the key is registered for.</param>
    /// <exception cref="ArgumentException">Not a JWK, missing members, or a key type that does not fit the algorithm.</exception>
    /// <exception cref="CryptographicException">The numbers do not form a valid key.</exception>
    public static HttpSignatureKey FromJwk(string json, HttpSignatureAlgorithm algorithm) => KeyImport.FromJwk(json, algorithm);

    /// <summary>Generates a new key: a 64-byte secret, a P-256/P-384 or Ed25519 key pair, or a 3072-bit RSA key.</summary>
    public static HttpSignatureKey Generate(HttpSignatureAlgorithm algorithm) => algorithm switch
    {
        HttpSignatureAlgorithm.HmacSha256 => Hmac(RandomNumberGenerator.GetBytes(64)),
        HttpSignatureAlgorithm.EcdsaP256Sha256 => FromEcdsa(ECDsa.Create(ECCurve.NamedCurves.nistP256)),
        HttpSignatureAlgorithm.EcdsaP384Sha384 => FromEcdsa(ECDsa.Create(ECCurve.NamedCurves.nistP384)),
        HttpSignatureAlgorithm.RsaPssSha512 or HttpSignatureAlgorithm.RsaV15Sha256 => FromRsa(RSA.Create(3072), algorithm),
        HttpSignatureAlgorithm.Ed25519 => Ed25519SignatureKey.Generate(),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown HTTP signature algorithm."),
    };

    /// <summary>Signs a signature base (§3.1): the ASCII bytes of the signature base text (§2.5).</summary>
    /// <returns>The signature: 32 bytes (HMAC), r‖s (ECDSA), the modulus length (RSA) or 64 bytes (Ed25519).</returns>
    /// <exception cref="MessageSignatureException"><see cref="MessageSignatureError.KeyCannotSign"/>: a public key only.</exception>
    public byte[] Sign(ReadOnlySpan<byte> signatureBase)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!CanSign)
        {
            throw new MessageSignatureException(MessageSignatureError.KeyCannotSign, "This key has no private part to sign with.");
        }

        return SignCore(signatureBase);
    }

    /// <summary>Verifies a signature over a signature base (§3.2); HMAC is compared in constant time. Never throws for a bad signature.</summary>
    public bool Verify(ReadOnlySpan<byte> signatureBase, ReadOnlySpan<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return VerifyCore(signatureBase, signature);
    }

    /// <summary>The public key as SPKI PEM (<c>PUBLIC KEY</c>), to give to peers to pin; null for an HMAC secret.</summary>
    public abstract string? ExportPublicKeyPem();

    /// <summary>The private key as PKCS#8 PEM (<c>PRIVATE KEY</c>).</summary>
    /// <exception cref="InvalidOperationException">An HMAC secret or a public key only.</exception>
    public abstract string ExportPrivateKeyPem();

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Signs; called only when <see cref="CanSign"/> is true.</summary>
    protected abstract byte[] SignCore(ReadOnlySpan<byte> signatureBase);

    /// <summary>Verifies; must not throw for a malformed signature.</summary>
    protected abstract bool VerifyCore(ReadOnlySpan<byte> signatureBase, ReadOnlySpan<byte> signature);

    /// <summary>Releases the key material.</summary>
    protected virtual void Dispose(bool disposing) => _disposed = true;

    /// <summary>Throws when the key was disposed (its material released or zeroed).</summary>
    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private bool _disposed;
}
