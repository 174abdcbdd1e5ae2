using System.Security.Cryptography;

namespace MutualAuth.Keys;

/// <summary>The named curves signing keys use, by OID.</summary>
internal static class Curves
{
    public const string P256 = "1.2.840.10045.3.1.7";
    public const string P384 = "1.3.132.0.34";
    public const string P521 = "1.3.132.0.35";

    /// <summary>The OID of an EC key's named curve, read from its public part; null for explicit or unknown curves.</summary>
    public static string? OidOf(ECDsa key)
    {
        try
        {
            var curve = key.ExportParameters(false).Curve;
            return curve.IsNamed ? curve.Oid.Value ?? OidOf(curve.Oid.FriendlyName) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string? OidOf(string? name) => name switch
    {
        "nistP256" or "ECDSA_P256" or "prime256v1" or "secp256r1" => P256,
        "nistP384" or "ECDSA_P384" or "secp384r1" => P384,
        "nistP521" or "ECDSA_P521" or "secp521r1" => P521,
        _ => null,
    };
}
