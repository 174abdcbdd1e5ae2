using System.Text;
using NSec.Cryptography;

namespace MutualAuth.MessageSignatures;

/// <summary><c>ed25519</c> (RFC 9421 §3.3.6, RFC 8032) through NSec (libsodium): .NET has no Ed25519.</summary>
internal sealed class Ed25519SignatureKey : HttpSignatureKey
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    private readonly Key? _privateKey;
    private readonly PublicKey _publicKey;

    private Ed25519SignatureKey(Key? privateKey, PublicKey publicKey)
        : base(HttpSignatureAlgorithm.Ed25519)
    {
        _privateKey = privateKey;
        _publicKey = publicKey;
    }

    public override bool CanSign => _privateKey is not null;

    public static Ed25519SignatureKey Generate() => FromPrivate(Key.Create(Ed25519, Exportable()));

    /// <summary>From a PKCS#8 DER private key or a 32-byte raw private key (JWK <c>d</c>).</summary>
    public static Ed25519SignatureKey ImportPrivate(ReadOnlySpan<byte> blob, bool raw) =>
        FromPrivate(Key.Import(Ed25519, blob, raw ? KeyBlobFormat.RawPrivateKey : KeyBlobFormat.PkixPrivateKey, Exportable()));

    /// <summary>From an SPKI DER public key or a 32-byte raw public key (JWK <c>x</c>).</summary>
    public static Ed25519SignatureKey ImportPublic(ReadOnlySpan<byte> blob, bool raw) =>
        new(null, PublicKey.Import(Ed25519, blob, raw ? KeyBlobFormat.RawPublicKey : KeyBlobFormat.PkixPublicKey));

    public override string? ExportPublicKeyPem() => Encoding.ASCII.GetString(_publicKey.Export(KeyBlobFormat.PkixPublicKeyText)).TrimEnd();

    public override string ExportPrivateKeyPem() =>
        _privateKey is null
            ? throw new InvalidOperationException("This is a public key.")
            : Encoding.ASCII.GetString(_privateKey.Export(KeyBlobFormat.PkixPrivateKeyText)).TrimEnd();

    protected override byte[] SignCore(ReadOnlySpan<byte> signatureBase) => Ed25519.Sign(_privateKey!, signatureBase);

    protected override bool VerifyCore(ReadOnlySpan<byte> signatureBase, ReadOnlySpan<byte> signature) =>
        Ed25519.Verify(_publicKey, signatureBase, signature);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _privateKey?.Dispose();
        }

        base.Dispose(disposing);
    }

    private static KeyCreationParameters Exportable() => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };

    private static Ed25519SignatureKey FromPrivate(Key key) => new(key, key.PublicKey);
}
