namespace MutualAuth.MessageSignatures;

/// <summary>
/// The HTTP Signature Algorithms of RFC 9421 §3.3 (IANA "HTTP Signature Algorithms" registry). A key is registered
/// with exactly one; a message's <c>alg</c> parameter can only confirm it, never choose it (§3.2, §7.3.6).
/// </summary>
public enum HttpSignatureAlgorithm
{
    /// <summary><c>hmac-sha256</c>: HMAC with SHA-256 over the signature base, 32-byte output (§3.3.3).</summary>
    HmacSha256,

    /// <summary><c>ecdsa-p256-sha256</c>: ECDSA on P-256 with SHA-256; the signature is r‖s, 64 bytes (§3.3.4).</summary>
    EcdsaP256Sha256,

    /// <summary><c>ecdsa-p384-sha384</c>: ECDSA on P-384 with SHA-384; the signature is r‖s, 96 bytes (§3.3.5).</summary>
    EcdsaP384Sha384,

    /// <summary><c>rsa-pss-sha512</c>: RSASSA-PSS, SHA-512, MGF1-SHA-512, 64-byte salt (§3.3.1).</summary>
    RsaPssSha512,

    /// <summary><c>rsa-v1_5-sha256</c>: RSASSA-PKCS1-v1_5 with SHA-256 (§3.3.2).</summary>
    RsaV15Sha256,

    /// <summary><c>ed25519</c>: EdDSA on edwards25519 (RFC 8032), 64-byte signature (§3.3.6).</summary>
    Ed25519,
}
