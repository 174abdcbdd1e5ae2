using System.Security.Cryptography;
using MutualAuth.Keys;

namespace MutualAuth.Tokens;

/// <summary>The JWS algorithms (RFC 7518, RFC 8037) we accept: asymmetric only, never <c>none</c> or HMAC.</summary>
internal static class JwsAlgorithms
{
    public const string ES256 = "ES256";
    public const string ES384 = "ES384";
    public const string PS256 = "PS256";
    public const string EdDSA = "EdDSA";

    /// <summary>Every algorithm this code can verify.</summary>
    public static readonly IReadOnlySet<string> Asymmetric = new HashSet<string>(StringComparer.Ordinal) { ES256, ES384, PS256, EdDSA };

    /// <summary>The algorithm a key of this kind signs JWS with.</summary>
    public static string For(SigningKeyAlgorithm algorithm) => algorithm switch
    {
        SigningKeyAlgorithm.EcdsaP256 => ES256,
        SigningKeyAlgorithm.EcdsaP384 => ES384,
        SigningKeyAlgorithm.Rsa => PS256,
        SigningKeyAlgorithm.Ed25519 => EdDSA,
        _ => throw new ArgumentException($"No JWS algorithm for {algorithm} keys.", nameof(algorithm)),
    };

    public static SignatureScheme Scheme(string alg) => alg switch
    {
        ES256 => SignatureScheme.EcdsaP1363(HashAlgorithmName.SHA256),
        ES384 => SignatureScheme.EcdsaP1363(HashAlgorithmName.SHA384),
        PS256 => SignatureScheme.RsaPss(HashAlgorithmName.SHA256),
        EdDSA => SignatureScheme.Ed25519,
        _ => throw new ArgumentException($"Unsupported JWS algorithm {alg}.", nameof(alg)),
    };
}
