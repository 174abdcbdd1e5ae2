using System.Security.Cryptography;
using MutualAuth.Keys;

namespace MutualAuth.Tests.Keys;

/// <summary>A signing key implemented outside the library, as the PKCS#11 key will be: it only hands its key object to the base.</summary>
internal sealed class TokenLikeSigningKey(AsymmetricAlgorithm key) : SigningKey(key)
{
    public bool Disposed { get; private set; }

    /// <summary>A P-256 key whose private part refuses to be exported.</summary>
    public static TokenLikeSigningKey NonExportable(out NonExportableEcdsa key)
    {
        key = new NonExportableEcdsa(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        return new TokenLikeSigningKey(key);
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
