using System.Security.Cryptography;
using MutualAuth.Keys;

namespace MutualAuth.MessageSignatures;

/// <summary><c>rsa-pss-sha512</c> (64-byte salt, MGF1-SHA-512) and <c>rsa-v1_5-sha256</c> (RFC 9421 §3.3.1–2); at least 2048 bits.</summary>
internal sealed class RsaSignatureKey : HttpSignatureKey
{
    public const int MinimumKeySize = 2048;
    private readonly RSA _key;
    private readonly SigningKey? _signer;
    private readonly bool _ownsSigner;
    private readonly SignatureScheme _scheme;

    /// <summary>Wraps <paramref name="key"/>, public or private (<paramref name="isPrivate"/> when the caller knows); takes ownership of it.</summary>
    public RsaSignatureKey(RSA key, HttpSignatureAlgorithm algorithm, bool? isPrivate = null)
        : this(key, algorithm, null, ownsSigner: true, isPrivate)
    {
    }

    /// <summary>Signs through <paramref name="signer"/>, which stays the caller's.</summary>
    public RsaSignatureKey(SigningKey signer, HttpSignatureAlgorithm algorithm)
        : this((RSA)signer.Key!, algorithm, signer, ownsSigner: false, isPrivate: true)
    {
    }

    private RsaSignatureKey(RSA key, HttpSignatureAlgorithm algorithm, SigningKey? signer, bool ownsSigner, bool? isPrivate)
        : base(algorithm)
    {
        ArgumentNullException.ThrowIfNull(key);
        _scheme = algorithm switch
        {
            // RSASignaturePadding.Pss uses MGF1 with the signing hash and a salt as long as the hash (64 bytes for SHA-512).
            HttpSignatureAlgorithm.RsaPssSha512 => SignatureScheme.RsaPss(HashAlgorithmName.SHA512),
            HttpSignatureAlgorithm.RsaV15Sha256 => SignatureScheme.RsaPkcs1(HashAlgorithmName.SHA256),
            _ => throw new ArgumentException($"{HttpSignatureAlgorithms.Name(algorithm)} is not an RSA algorithm.", nameof(algorithm)),
        };
        if (key.KeySize < MinimumKeySize)
        {
            throw new ArgumentException($"RSA keys have at least {MinimumKeySize} bits.", nameof(key));
        }

        _key = key;
        _ownsSigner = ownsSigner;

        // Unknown, the in-memory key is probed; a key whose private part stays elsewhere comes through the signer.
        _signer = signer ?? (isPrivate ?? KeyImport.HoldsPrivateKey(() => key.ExportParameters(true).D) ? new SoftwareSigningKey(key) : null);
    }

    public override bool CanSign => _signer is not null;

    public override string? ExportPublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    public override string ExportPrivateKeyPem() => _signer switch
    {
        SoftwareSigningKey software => software.ExportPkcs8Pem(),
        null => throw new InvalidOperationException("This is a public key."),
        _ => throw new InvalidOperationException("This key is not in memory and cannot be exported."),
    };

    protected override byte[] SignCore(ReadOnlySpan<byte> signatureBase) => _signer!.Sign(signatureBase, _scheme);

    protected override bool VerifyCore(ReadOnlySpan<byte> signatureBase, ReadOnlySpan<byte> signature) =>
        _key.VerifyData(signatureBase, signature, _scheme.Hash, _scheme.RsaPadding!);

    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsSigner)
        {
            // The signer, when there is one, owns _key.
            if (_signer is not null)
            {
                _signer.Dispose();
            }
            else
            {
                _key.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
