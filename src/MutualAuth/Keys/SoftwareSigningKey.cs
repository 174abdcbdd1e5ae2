using System.Security.Cryptography;
using MutualAuth.Certificates;

namespace MutualAuth.Keys;

/// <summary>An ECDSA or RSA key held in process memory: generated, or loaded from PEM, and exportable to PKCS#8 for files.</summary>
public sealed class SoftwareSigningKey : SigningKey
{
    /// <summary>Wraps an in-memory key; takes ownership of it.</summary>
    /// <exception cref="ArgumentException">A curve other than P-256/P-384/P-521, RSA under 2048 bits, or another key type.</exception>
    public SoftwareSigningKey(AsymmetricAlgorithm key)
        : base(key)
    {
    }

    /// <summary>Creates a fresh key of one of the CA's key types.</summary>
    public static SoftwareSigningKey Generate(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => Generate(SigningKeyAlgorithm.EcdsaP256),
        KeyAlgorithm.EcdsaP384 => Generate(SigningKeyAlgorithm.EcdsaP384),
        KeyAlgorithm.Rsa3072 => Generate(SigningKeyAlgorithm.Rsa),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Creates a fresh key; RSA keys have 3072 bits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Ed25519, which <see cref="SoftwareSigningKey"/> does not hold.</exception>
    public static SoftwareSigningKey Generate(SigningKeyAlgorithm algorithm) => algorithm switch
    {
        SigningKeyAlgorithm.EcdsaP256 => new(ECDsa.Create(ECCurve.NamedCurves.nistP256)),
        SigningKeyAlgorithm.EcdsaP384 => new(ECDsa.Create(ECCurve.NamedCurves.nistP384)),
        SigningKeyAlgorithm.EcdsaP521 => new(ECDsa.Create(ECCurve.NamedCurves.nistP521)),
        SigningKeyAlgorithm.Rsa => new(RSA.Create(3072)),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Loads an unencrypted PKCS#8 (<c>PRIVATE KEY</c>), SEC1 (<c>EC PRIVATE KEY</c>) or PKCS#1 PEM key.</summary>
    /// <exception cref="CryptographicException">The PEM holds no key of a supported type.</exception>
    public static SoftwareSigningKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        AsymmetricAlgorithm key = pem.Contains("RSA PRIVATE KEY", StringComparison.Ordinal) || IsRsaPkcs8(pem) ? RSA.Create() : ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return SigningKey.Refusal(key) is { } refusal ? throw new CryptographicException(refusal) : new SoftwareSigningKey(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Exports the private key as unencrypted PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>), to write to a file.</summary>
    public string ExportPkcs8Pem() => Key!.ExportPkcs8PrivateKeyPem();

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
