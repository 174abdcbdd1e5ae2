using System.Text;
using NSec.Cryptography;
using NSecKey = NSec.Cryptography.Key;

namespace MutualAuth.Keys;

/// <summary>An Ed25519 key in process memory through NSec (libsodium): .NET has no Ed25519. RFC 9421 signing only.</summary>
internal sealed class Ed25519SigningKey : SigningKey
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    private readonly NSecKey _key;

    private Ed25519SigningKey(NSecKey key)
        : base(SigningKeyAlgorithm.Ed25519, 256) => _key = key;

    /// <summary>The public key, for verifiers.</summary>
    public NSec.Cryptography.PublicKey NSecPublicKey => _key.PublicKey;

    public static Ed25519SigningKey Generate() => new(NSecKey.Create(Ed25519, Exportable()));

    /// <summary>From a PKCS#8 DER private key or a 32-byte raw private key (JWK <c>d</c>).</summary>
    public static Ed25519SigningKey Import(ReadOnlySpan<byte> blob, bool raw) =>
        new(NSecKey.Import(Ed25519, blob, raw ? KeyBlobFormat.RawPrivateKey : KeyBlobFormat.PkixPrivateKey, Exportable()));

    public override byte[] ExportSubjectPublicKeyInfo() => _key.PublicKey.Export(KeyBlobFormat.PkixPublicKey);

    /// <summary>The private key as PKCS#8 PEM, to write to a file.</summary>
    public string ExportPkcs8Pem() => Encoding.ASCII.GetString(_key.Export(KeyBlobFormat.PkixPrivateKeyText)).TrimEnd();

    private protected override byte[] SignCore(ReadOnlySpan<byte> data, SignatureScheme scheme) => Ed25519.Sign(_key, data);

    private protected override bool VerifyCore(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, SignatureScheme scheme) =>
        Ed25519.Verify(_key.PublicKey, data, signature);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key.Dispose();
        }

        base.Dispose(disposing);
    }

    private static KeyCreationParameters Exportable() => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
}
