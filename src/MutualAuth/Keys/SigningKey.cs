using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Keys;

/// <summary>
/// A private key that signs where it is kept: in memory (<see cref="SoftwareSigningKey"/>) or in a token. The CA, TLS
/// certificates and RFC 9421 signatures all sign through it, and nothing here exports the private part.
/// </summary>
/// <remarks>
/// A key plugs in by handing its .NET key object to the constructor, e.g. an <c>ECDsaOpenSsl</c> opened from the
/// OpenSSL pkcs11 engine, and by releasing whatever else it holds in <see cref="Dispose(bool)"/>.
/// </remarks>
public abstract class SigningKey : IDisposable
{
    private bool _disposed;

    /// <summary>Wraps an ECDsa (P-256, P-384, P-521) or RSA (at least 2048 bits) key; only its public part is read.</summary>
    /// <param name="key">The key; disposed with this object.</param>
    /// <exception cref="ArgumentException">Another curve, a shorter RSA key, or another key type.</exception>
    protected SigningKey(AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        Algorithm = AlgorithmOf(key);
        KeySize = key.KeySize;
    }

    /// <summary>For keys .NET has no type for (Ed25519); they override the signing and public-key members.</summary>
    private protected SigningKey(SigningKeyAlgorithm algorithm, int keySize)
    {
        Algorithm = algorithm;
        KeySize = keySize;
    }

    /// <summary>The key type.</summary>
    public SigningKeyAlgorithm Algorithm { get; }

    /// <summary>The key size in bits (the modulus for RSA, the curve for ECDSA, 256 for Ed25519).</summary>
    public int KeySize { get; }

    /// <summary>
    /// The .NET key (<see cref="ECDsa"/> or <see cref="RSA"/>) for X.509 and TLS APIs; <see langword="null"/> for Ed25519.
    /// It may refuse to export its private part.
    /// </summary>
    public AsymmetricAlgorithm? Key { get; }

    /// <summary>The hash this key signs certificates, CSRs and CRLs with: SHA-384 on P-384, SHA-512 on P-521, else SHA-256.</summary>
    public HashAlgorithmName SignatureHash => Algorithm switch
    {
        SigningKeyAlgorithm.EcdsaP384 => HashAlgorithmName.SHA384,
        SigningKeyAlgorithm.EcdsaP521 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

    /// <summary>The public key, as certificates carry it.</summary>
    public PublicKey PublicKey => PublicKey.CreateFromSubjectPublicKeyInfo(ExportSubjectPublicKeyInfo(), out _);

    /// <summary>The public key as DER SubjectPublicKeyInfo.</summary>
    public virtual byte[] ExportSubjectPublicKeyInfo()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Key!.ExportSubjectPublicKeyInfo();
    }

    /// <summary>Signs <paramref name="data"/> (it is hashed here) as <paramref name="scheme"/> says.</summary>
    /// <exception cref="ArgumentException">The scheme is for another key type.</exception>
    public byte[] Sign(ReadOnlySpan<byte> data, SignatureScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckFits(scheme);
        return SignCore(data, scheme);
    }

    /// <summary>Verifies a signature made by <see cref="Sign"/> with the public part; never throws for a bad signature.</summary>
    /// <exception cref="ArgumentException">The scheme is for another key type.</exception>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, SignatureScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckFits(scheme);
        return VerifyCore(data, signature, scheme);
    }

    /// <summary>A certificate request (PKCS#10 when signed) for <paramref name="subject"/> over this key, hashed with <see cref="SignatureHash"/>.</summary>
    /// <exception cref="NotSupportedException">An Ed25519 key.</exception>
    public CertificateRequest CreateCertificateRequest(X500DistinguishedName subject) => X509Key() switch
    {
        ECDsa ec => new CertificateRequest(subject, ec, SignatureHash),
        RSA rsa => new CertificateRequest(subject, rsa, SignatureHash, RSASignaturePadding.Pkcs1),
        _ => throw Unsupported(),
    };

    /// <summary>Signs certificates and CRLs: ECDSA (DER) or RSA PKCS#1 v1.5, with <see cref="SignatureHash"/>.</summary>
    /// <exception cref="NotSupportedException">An Ed25519 key.</exception>
    public X509SignatureGenerator CreateX509SignatureGenerator() => X509Key() switch
    {
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => throw Unsupported(),
    };

    /// <summary>
    /// A copy of <paramref name="certificate"/> with this key attached, for TLS. Keep this key undisposed while the copy
    /// is in use: a token key lives only as long as its session.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not the certificate's.</exception>
    /// <exception cref="NotSupportedException">An Ed25519 key.</exception>
    public X509Certificate2 CopyWithPrivateKey(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        // .NET attaches an OpenSSL key (ECDsaOpenSsl, RSAOpenSsl: what the pkcs11 engine gives) by reference and copies
        // any other key object by exporting its private part; so a token key must be an OpenSSL key (docs/keys.md).
        return X509Key() switch
        {
            ECDsa ec => certificate.CopyWithPrivateKey(ec),
            RSA rsa => certificate.CopyWithPrivateKey(rsa),
            _ => throw Unsupported(),
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the key (and whatever a subclass holds).</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            Key?.Dispose();
        }

        _disposed = true;
    }

    /// <summary>Signs with the private part; <paramref name="scheme"/> fits the key.</summary>
    private protected virtual byte[] SignCore(ReadOnlySpan<byte> data, SignatureScheme scheme) => Key switch
    {
        ECDsa ec => ec.SignData(data, scheme.Hash, scheme.EcdsaFormat),
        RSA rsa => rsa.SignData(data, scheme.Hash, scheme.RsaPadding!),
        _ => throw Unsupported(),
    };

    /// <summary>Verifies with the public part; <paramref name="scheme"/> fits the key.</summary>
    private protected virtual bool VerifyCore(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, SignatureScheme scheme)
    {
        try
        {
            return Key switch
            {
                ECDsa ec => ec.VerifyData(data, signature, scheme.Hash, scheme.EcdsaFormat),
                RSA rsa => rsa.VerifyData(data, signature, scheme.Hash, scheme.RsaPadding!),
                _ => throw Unsupported(),
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The family of <paramref name="algorithm"/>.</summary>
    internal static SigningKeyFamily FamilyOf(SigningKeyAlgorithm algorithm) => algorithm switch
    {
        SigningKeyAlgorithm.Rsa => SigningKeyFamily.Rsa,
        SigningKeyAlgorithm.Ed25519 => SigningKeyFamily.Ed25519,
        _ => SigningKeyFamily.Ecdsa,
    };

    /// <summary>Why <paramref name="key"/> cannot be a signing key, or null when it can.</summary>
    internal static string? Refusal(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa when rsa.KeySize < 2048 => $"RSA keys must have at least 2048 bits; this one has {rsa.KeySize}.",
        RSA => null,
        ECDsa ec when Curves.OidOf(ec) is not (Curves.P256 or Curves.P384 or Curves.P521) =>
            $"Only P-256, P-384 and P-521 EC keys are supported; this one has {ec.KeySize} bits.",
        ECDsa => null,
        _ => $"A signing key is ECDsa or RSA, not {key.GetType().Name}.",
    };

    private static SigningKeyAlgorithm AlgorithmOf(AsymmetricAlgorithm key)
    {
        if (Refusal(key) is { } refusal)
        {
            throw new ArgumentException(refusal, nameof(key));
        }

        return key is RSA ? SigningKeyAlgorithm.Rsa : Curves.OidOf((ECDsa)key) switch
        {
            Curves.P256 => SigningKeyAlgorithm.EcdsaP256,
            Curves.P384 => SigningKeyAlgorithm.EcdsaP384,
            _ => SigningKeyAlgorithm.EcdsaP521,
        };
    }

    private AsymmetricAlgorithm? X509Key()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Key;
    }

    private void CheckFits(SignatureScheme scheme)
    {
        if (scheme.Family != FamilyOf(Algorithm))
        {
            throw new ArgumentException($"A {Algorithm} key cannot sign as {scheme.Family}.", nameof(scheme));
        }
    }

    private NotSupportedException Unsupported() => new($"{Algorithm} keys have no X.509 or TLS support in .NET.");
}
