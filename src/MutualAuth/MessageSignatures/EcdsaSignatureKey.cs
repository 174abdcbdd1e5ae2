using System.Security.Cryptography;

namespace MutualAuth.MessageSignatures;

/// <summary><c>ecdsa-p256-sha256</c> / <c>ecdsa-p384-sha384</c> (RFC 9421 §3.3.4–5): signatures are r‖s (IEEE P1363), not DER.</summary>
internal sealed class EcdsaSignatureKey : HttpSignatureKey
{
    private const string P256 = "1.2.840.10045.3.1.7";
    private const string P384 = "1.3.132.0.34";
    private readonly ECDsa _key;
    private readonly HashAlgorithmName _hash;

    private EcdsaSignatureKey(ECDsa key, HttpSignatureAlgorithm algorithm, bool canSign)
        : base(algorithm)
    {
        _key = key;
        _hash = algorithm == HttpSignatureAlgorithm.EcdsaP256Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384;
        CanSign = canSign;
    }

    public override bool CanSign { get; }

    /// <summary>Wraps <paramref name="key"/>; the curve must be the algorithm's (or, with no algorithm, chooses it).</summary>
    public static EcdsaSignatureKey Create(ECDsa key, HttpSignatureAlgorithm? algorithm)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parameters = key.ExportParameters(false);
        var oid = parameters.Curve.Oid?.Value ?? CurveOidFromName(parameters.Curve.Oid?.FriendlyName);
        HttpSignatureAlgorithm curveAlgorithm = oid switch
        {
            P256 => HttpSignatureAlgorithm.EcdsaP256Sha256,
            P384 => HttpSignatureAlgorithm.EcdsaP384Sha384,
            _ => throw new ArgumentException("RFC 9421 ECDSA keys are on P-256 or P-384.", nameof(key)),
        };
        if (algorithm is { } wanted && wanted != curveAlgorithm)
        {
            throw new ArgumentException($"This key's curve is for {HttpSignatureAlgorithms.Name(curveAlgorithm)}, not {HttpSignatureAlgorithms.Name(wanted)}.", nameof(algorithm));
        }

        return new EcdsaSignatureKey(key, curveAlgorithm, KeyImport.HoldsPrivateKey(() => key.ExportParameters(true).D));
    }

    public override string? ExportPublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    public override string ExportPrivateKeyPem() =>
        CanSign ? _key.ExportPkcs8PrivateKeyPem() : throw new InvalidOperationException("This is a public key.");

    protected override byte[] SignCore(ReadOnlySpan<byte> signatureBase) =>
        _key.SignData(signatureBase, _hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    protected override bool VerifyCore(ReadOnlySpan<byte> signatureBase, ReadOnlySpan<byte> signature) =>
        _key.VerifyData(signatureBase, signature, _hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key.Dispose();
        }

        base.Dispose(disposing);
    }

    private static string? CurveOidFromName(string? name) => name switch
    {
        "nistP256" or "ECDSA_P256" or "prime256v1" or "secp256r1" => P256,
        "nistP384" or "ECDSA_P384" or "secp384r1" => P384,
        _ => null,
    };
}
