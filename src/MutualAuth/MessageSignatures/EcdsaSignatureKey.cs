using System.Security.Cryptography;
using MutualAuth.Keys;

namespace MutualAuth.MessageSignatures;

/// <summary><c>ecdsa-p256-sha256</c> / <c>ecdsa-p384-sha384</c> (RFC 9421 §3.3.4–5): signatures are r‖s (IEEE P1363), not DER.</summary>
internal sealed class EcdsaSignatureKey : HttpSignatureKey
{
    private readonly ECDsa _key;
    private readonly SigningKey? _signer;
    private readonly bool _ownsSigner;
    private readonly SignatureScheme _scheme;

    private EcdsaSignatureKey(ECDsa key, HttpSignatureAlgorithm algorithm, SigningKey? signer, bool ownsSigner)
        : base(algorithm)
    {
        _key = key;
        _signer = signer;
        _ownsSigner = ownsSigner;
        _scheme = SignatureScheme.EcdsaP1363(algorithm == HttpSignatureAlgorithm.EcdsaP256Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384);
    }

    public override bool CanSign => _signer is not null;

    /// <summary>Wraps <paramref name="key"/>; the curve must be the algorithm's (or, with no algorithm, chooses it).</summary>
    /// <param name="key">An in-memory key, public or private; owned from now on.</param>
    /// <param name="algorithm">The algorithm, or null to take the curve's.</param>
    /// <param name="isPrivate">Whether the key holds its private part, when the caller knows (it imported it).</param>
    public static EcdsaSignatureKey Create(ECDsa key, HttpSignatureAlgorithm? algorithm, bool? isPrivate = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var curveAlgorithm = AlgorithmOf(key, algorithm);

        // Unknown, the in-memory key is probed; a key whose private part stays elsewhere comes through FromSigningKey.
        var signer = isPrivate ?? KeyImport.HoldsPrivateKey(() => key.ExportParameters(true).D) ? new SoftwareSigningKey(key) : null;
        return new EcdsaSignatureKey(key, curveAlgorithm, signer, ownsSigner: true);
    }

    /// <summary>Signs through <paramref name="signer"/>, which stays the caller's.</summary>
    public static EcdsaSignatureKey Create(SigningKey signer, HttpSignatureAlgorithm algorithm)
    {
        var key = (ECDsa)signer.Key!;
        return new EcdsaSignatureKey(key, AlgorithmOf(key, algorithm), signer, ownsSigner: false);
    }

    public override string? ExportPublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    public override string ExportPrivateKeyPem() => _signer switch
    {
        SoftwareSigningKey software => software.ExportPkcs8Pem(),
        null => throw new InvalidOperationException("This is a public key."),
        _ => throw new InvalidOperationException("This key is not in memory and cannot be exported."),
    };

    protected override byte[] SignCore(ReadOnlySpan<byte> signatureBase) => _signer!.Sign(signatureBase, _scheme);

    protected override bool VerifyCore(ReadOnlySpan<byte> signatureBase, ReadOnlySpan<byte> signature) =>
        _key.VerifyData(signatureBase, signature, _scheme.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

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

    private static HttpSignatureAlgorithm AlgorithmOf(ECDsa key, HttpSignatureAlgorithm? algorithm)
    {
        HttpSignatureAlgorithm curveAlgorithm = Curves.OidOf(key) switch
        {
            Curves.P256 => HttpSignatureAlgorithm.EcdsaP256Sha256,
            Curves.P384 => HttpSignatureAlgorithm.EcdsaP384Sha384,
            _ => throw new ArgumentException("RFC 9421 ECDSA keys are on P-256 or P-384.", nameof(key)),
        };
        if (algorithm is { } wanted && wanted != curveAlgorithm)
        {
            throw new ArgumentException($"This key's curve is for {HttpSignatureAlgorithms.Name(curveAlgorithm)}, not {HttpSignatureAlgorithms.Name(wanted)}.", nameof(algorithm));
        }

        return curveAlgorithm;
    }
}
