namespace MutualAuth.Keys;

/// <summary>The kind of a <see cref="SigningKey"/>: the curve of an ECDSA key, RSA, or Ed25519.</summary>
public enum SigningKeyAlgorithm
{
    /// <summary>ECDSA on NIST P-256.</summary>
    EcdsaP256,

    /// <summary>ECDSA on NIST P-384.</summary>
    EcdsaP384,

    /// <summary>ECDSA on NIST P-521 (TLS server keys from other CAs; the CA and RFC 9421 do not use it).</summary>
    EcdsaP521,

    /// <summary>RSA of at least 2048 bits.</summary>
    Rsa,

    /// <summary>Ed25519 (RFC 8032), for RFC 9421 signatures only: .NET has no X.509 or TLS support for it.</summary>
    Ed25519,
}
