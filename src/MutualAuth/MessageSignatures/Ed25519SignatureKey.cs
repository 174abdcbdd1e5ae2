using System.Text;
using MutualAuth.Keys;
using NSec.Cryptography;

namespace MutualAuth.MessageSignatures;

/// <summary><c>ed25519</c> (RFC 9421 §3.3.6, RFC 8032) through NSec (libsodium): .NET has no Ed25519.</summary>
internal sealed class Ed25519SignatureKey : HttpSignatureKey
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    private readonly SigningKey? _signer;
    private readonly bool _ownsSigner;
    private readonly NSec.Cryptography.PublicKey _publicKey;

    private Ed25519SignatureKey(SigningKey? signer, bool ownsSigner, NSec.Cryptography.PublicKey publicKey)
        : base(HttpSignatureAlgorithm.Ed25519)
    {
        _signer = signer;
        _ownsSigner = ownsSigner;
        _publicKey = publicKey;
    }

    public override bool CanSign => _signer is not null;

    public static Ed25519SignatureKey Generate() => FromPrivate(Ed25519SigningKey.Generate());

    /// <summary>From a PKCS#8 DER private key or a 32-byte raw private key (JWK <c>d</c>).</summary>
    public static Ed25519SignatureKey ImportPrivate(ReadOnlySpan<byte> blob, bool raw) => FromPrivate(Ed25519SigningKey.Import(blob, raw));

    /// <summary>From an SPKI DER public key or a 32-byte raw public key (JWK <c>x</c>).</summary>
    public static Ed25519SignatureKey ImportPublic(ReadOnlySpan<byte> blob, bool raw) =>
        new(null, ownsSigner: false, NSec.Cryptography.PublicKey.Import(Ed25519, blob, raw ? KeyBlobFormat.RawPublicKey : KeyBlobFormat.PkixPublicKey));

    /// <summary>Signs through <paramref name="signer"/>, which stays the caller's.</summary>
    public static Ed25519SignatureKey FromSigningKey(SigningKey signer) =>
        new(signer, ownsSigner: false, NSec.Cryptography.PublicKey.Import(Ed25519, signer.ExportSubjectPublicKeyInfo(), KeyBlobFormat.PkixPublicKey));

    public override string? ExportPublicKeyPem() => Encoding.ASCII.GetString(_publicKey.Export(KeyBlobFormat.PkixPublicKeyText)).TrimEnd();

    public override string ExportPrivateKeyPem() => _signer switch
    {
        Ed25519SigningKey software => software.ExportPkcs8Pem(),
        null => throw new InvalidOperationException("This is a public key."),
        _ => throw new InvalidOperationException("This key is not in memory and cannot be exported."),
    };

    protected override byte[] SignCore(ReadOnlySpan<byte> signatureBase) => _signer!.Sign(signatureBase, SignatureScheme.Ed25519);

    protected override bool VerifyCore(ReadOnlySpan<byte> signatureBase, ReadOnlySpan<byte> signature) =>
        Ed25519.Verify(_publicKey, signatureBase, signature);

    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsSigner)
        {
            _signer?.Dispose();
        }

        base.Dispose(disposing);
    }

    private static Ed25519SignatureKey FromPrivate(Ed25519SigningKey key) => new(key, ownsSigner: true, key.NSecPublicKey);
}
