using System.Security.Cryptography;

namespace MutualAuth.Keys;

/// <summary>How <see cref="SigningKey.Sign"/> signs: the hash and the encoding of the signature each use needs.</summary>
public sealed class SignatureScheme
{
    private SignatureScheme(SigningKeyFamily family, HashAlgorithmName hash, DSASignatureFormat ecdsaFormat, RSASignaturePadding? rsaPadding)
    {
        Family = family;
        Hash = hash;
        EcdsaFormat = ecdsaFormat;
        RsaPadding = rsaPadding;
    }

    /// <summary>Ed25519 (RFC 8032): the message itself is signed, no separate hash.</summary>
    public static SignatureScheme Ed25519 { get; } = new(SigningKeyFamily.Ed25519, default, default, null);

    /// <summary>The hash of the message; default for Ed25519.</summary>
    public HashAlgorithmName Hash { get; }

    internal SigningKeyFamily Family { get; }

    internal DSASignatureFormat EcdsaFormat { get; }

    internal RSASignaturePadding? RsaPadding { get; }

    /// <summary>ECDSA with a DER <c>SEQUENCE {r, s}</c> signature (RFC 3279; X.509, CMS).</summary>
    public static SignatureScheme EcdsaDer(HashAlgorithmName hash) => new(SigningKeyFamily.Ecdsa, hash, DSASignatureFormat.Rfc3279DerSequence, null);

    /// <summary>ECDSA with an r‖s signature (IEEE P1363; RFC 9421 §3.3.4–5, JOSE).</summary>
    public static SignatureScheme EcdsaP1363(HashAlgorithmName hash) => new(SigningKeyFamily.Ecdsa, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, null);

    /// <summary>RSASSA-PKCS1-v1_5.</summary>
    public static SignatureScheme RsaPkcs1(HashAlgorithmName hash) => new(SigningKeyFamily.Rsa, hash, default, RSASignaturePadding.Pkcs1);

    /// <summary>RSASSA-PSS with MGF1 over the same hash and a salt as long as the hash (RFC 9421 §3.3.1 with SHA-512).</summary>
    public static SignatureScheme RsaPss(HashAlgorithmName hash) => new(SigningKeyFamily.Rsa, hash, default, RSASignaturePadding.Pss);
}
