namespace MutualAuth.Certificates;

/// <summary>Key types the certificate authority creates for itself and for the identities it issues.</summary>
public enum KeyAlgorithm
{
    /// <summary>ECDSA on NIST P-256 with SHA-256 signatures (the default).</summary>
    EcdsaP256,

    /// <summary>ECDSA on NIST P-384 with SHA-384 signatures.</summary>
    EcdsaP384,

    /// <summary>RSA with a 3072-bit modulus and PKCS#1 v1.5 SHA-256 signatures.</summary>
    Rsa3072,
}
