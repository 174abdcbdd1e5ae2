using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>
/// A private key of one of the supported <see cref="KeyAlgorithm"/> types, with the operations the CA
/// needs: building a certificate request, signing with it, and exporting it as PKCS#8 PEM.
/// </summary>
public sealed class KeyPair : IDisposable
{
    private KeyPair(AsymmetricAlgorithm key, KeyAlgorithm algorithm)
    {
        Key = key;
        Algorithm = algorithm;
    }

    /// <summary>The key type.</summary>
    public KeyAlgorithm Algorithm { get; }

    /// <summary>The underlying .NET key (<see cref="ECDsa"/> or <see cref="RSA"/>).</summary>
    public AsymmetricAlgorithm Key { get; }

    /// <summary>The hash used when this key signs certificates and CRLs.</summary>
    public HashAlgorithmName SignatureHash => Algorithm == KeyAlgorithm.EcdsaP384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    /// <summary>Creates a fresh key.</summary>
    public static KeyPair Generate(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => new KeyPair(ECDsa.Create(ECCurve.NamedCurves.nistP256), algorithm),
        KeyAlgorithm.EcdsaP384 => new KeyPair(ECDsa.Create(ECCurve.NamedCurves.nistP384), algorithm),
        KeyAlgorithm.Rsa3072 => new KeyPair(RSA.Create(3072), algorithm),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Loads an unencrypted PKCS#8 (<c>PRIVATE KEY</c>), SEC1 (<c>EC PRIVATE KEY</c>) or PKCS#1 PEM key.</summary>
    /// <exception cref="CryptographicException">The PEM holds no key of a supported type.</exception>
    public static KeyPair FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (pem.Contains("RSA PRIVATE KEY", StringComparison.Ordinal) || IsRsaPkcs8(pem))
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            if (rsa.KeySize < 2048)
            {
                rsa.Dispose();
                throw new CryptographicException($"RSA keys must have at least 2048 bits; this one has {rsa.KeySize}.");
            }

            return new KeyPair(rsa, KeyAlgorithm.Rsa3072);
        }

        var ec = ECDsa.Create();
        ec.ImportFromPem(pem);
        var algorithm = ec.KeySize switch
        {
            256 => KeyAlgorithm.EcdsaP256,
            384 => KeyAlgorithm.EcdsaP384,
            _ => throw new CryptographicException($"Only P-256 and P-384 EC keys are supported; this one has {ec.KeySize} bits."),
        };
        return new KeyPair(ec, algorithm);
    }

    /// <summary>Exports the private key as unencrypted PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>).</summary>
    public string ExportPkcs8Pem() => Key.ExportPkcs8PrivateKeyPem();

    /// <summary>Builds a certificate request for <paramref name="subject"/> signed by this key.</summary>
    public CertificateRequest CreateRequest(X500DistinguishedName subject) => Key switch
    {
        ECDsa ec => new CertificateRequest(subject, ec, SignatureHash),
        RSA rsa => new CertificateRequest(subject, rsa, SignatureHash, RSASignaturePadding.Pkcs1),
        _ => throw new InvalidOperationException("Unsupported key type."),
    };

    /// <summary>A signature generator that signs certificates and CRLs with this key.</summary>
    public X509SignatureGenerator CreateSignatureGenerator() => Key switch
    {
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => throw new InvalidOperationException("Unsupported key type."),
    };

    /// <summary>Returns a copy of <paramref name="certificate"/> that carries this private key.</summary>
    public X509Certificate2 AttachTo(X509Certificate2 certificate) => Key switch
    {
        ECDsa ec => certificate.CopyWithPrivateKey(ec),
        RSA rsa => certificate.CopyWithPrivateKey(rsa),
        _ => throw new InvalidOperationException("Unsupported key type."),
    };

    /// <inheritdoc />
    public void Dispose() => Key.Dispose();

    private static bool IsRsaPkcs8(string pem)
    {
        try
        {
            using var probe = RSA.Create();
            probe.ImportFromPem(pem);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
