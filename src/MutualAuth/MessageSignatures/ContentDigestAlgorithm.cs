namespace MutualAuth.MessageSignatures;

/// <summary>Content-Digest hash algorithms (RFC 9530 §5, IANA "Hash Algorithms for HTTP Digest Fields", status active).</summary>
public enum ContentDigestAlgorithm
{
    /// <summary><c>sha-256</c>: SHA-256, 32 bytes.</summary>
    Sha256,

    /// <summary><c>sha-512</c>: SHA-512, 64 bytes.</summary>
    Sha512,
}
