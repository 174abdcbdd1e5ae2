using System.Security.Cryptography;

namespace MutualAuth.Tests.Keys;

/// <summary>
/// Stands in for a key in a PKCS#11 token: it signs through an inner key, shows its public part, and refuses every
/// export of its private part (and counts the attempts), as an ECDsaOpenSsl from the pkcs11 engine does.
/// </summary>
internal sealed class NonExportableEcdsa(ECDsa inner) : ECDsa
{
    public int ExportAttempts { get; private set; }

    public override int KeySize
    {
        get => inner.KeySize;
        set => throw new NotSupportedException();
    }

    public override KeySizes[] LegalKeySizes => inner.LegalKeySizes;

    public override byte[] SignHash(byte[] hash) => inner.SignHash(hash);

    public override bool VerifyHash(byte[] hash, byte[] signature) => inner.VerifyHash(hash, signature);

    public override ECParameters ExportParameters(bool includePrivateParameters) =>
        includePrivateParameters ? Refuse<ECParameters>() : inner.ExportParameters(false);

    public override ECParameters ExportExplicitParameters(bool includePrivateParameters) =>
        includePrivateParameters ? Refuse<ECParameters>() : inner.ExportExplicitParameters(false);

    public override byte[] ExportECPrivateKey() => Refuse<byte[]>();

    public override bool TryExportECPrivateKey(Span<byte> destination, out int bytesWritten) => Refuse(out bytesWritten);

    public override byte[] ExportPkcs8PrivateKey() => Refuse<byte[]>();

    public override bool TryExportPkcs8PrivateKey(Span<byte> destination, out int bytesWritten) => Refuse(out bytesWritten);

    public override bool TryExportEncryptedPkcs8PrivateKey(ReadOnlySpan<char> password, PbeParameters pbeParameters, Span<byte> destination, out int bytesWritten) => Refuse(out bytesWritten);

    public override bool TryExportEncryptedPkcs8PrivateKey(ReadOnlySpan<byte> passwordBytes, PbeParameters pbeParameters, Span<byte> destination, out int bytesWritten) => Refuse(out bytesWritten);

    public override void ImportParameters(ECParameters parameters) => throw new NotSupportedException();

    public override void GenerateKey(ECCurve curve) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private bool Refuse(out int bytesWritten)
    {
        bytesWritten = 0;
        return Refuse<bool>();
    }

    private T Refuse<T>()
    {
        ExportAttempts++;
        throw new CryptographicException("The private key cannot leave the token.");
    }
}
