using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>
/// The signature algorithms accepted on CRLs: ECDSA and RSA PKCS#1 v1.5 with SHA-256/384/512.
/// SHA-1 and MD5 are refused.
/// </summary>
internal static class SignatureAlgorithms
{
    private static readonly Dictionary<string, (bool IsEcdsa, HashAlgorithmName Hash)> Known = new(StringComparer.Ordinal)
    {
        ["1.2.840.10045.4.3.2"] = (true, HashAlgorithmName.SHA256),
        ["1.2.840.10045.4.3.3"] = (true, HashAlgorithmName.SHA384),
        ["1.2.840.10045.4.3.4"] = (true, HashAlgorithmName.SHA512),
        ["1.2.840.113549.1.1.11"] = (false, HashAlgorithmName.SHA256),
        ["1.2.840.113549.1.1.12"] = (false, HashAlgorithmName.SHA384),
        ["1.2.840.113549.1.1.13"] = (false, HashAlgorithmName.SHA512),
    };

    /// <summary>Verifies a signature over <paramref name="data"/> with the public key of <paramref name="signer"/>.</summary>
    /// <returns><see langword="false"/> for an unknown algorithm, a key of the wrong type or a bad signature.</returns>
    public static bool Verify(X509Certificate2 signer, string algorithmOid, ReadOnlySpan<byte> data, byte[] signature)
    {
        if (!Known.TryGetValue(algorithmOid, out var algorithm))
        {
            return false;
        }

        if (algorithm.IsEcdsa)
        {
            using var ec = signer.GetECDsaPublicKey();
            return ec is not null && ec.VerifyData(data, signature, algorithm.Hash, DSASignatureFormat.Rfc3279DerSequence);
        }

        using var rsa = signer.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(data, signature, algorithm.Hash, RSASignaturePadding.Pkcs1);
    }
}
