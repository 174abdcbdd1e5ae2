using System.Diagnostics.CodeAnalysis;

namespace MutualAuth.MessageSignatures;

/// <summary>The registered names of <see cref="HttpSignatureAlgorithm"/> values (RFC 9421 §6.2.2), for the <c>alg</c> parameter.</summary>
internal static class HttpSignatureAlgorithms
{
    private static readonly Dictionary<string, HttpSignatureAlgorithm> ByName = new(StringComparer.Ordinal)
    {
        ["hmac-sha256"] = HttpSignatureAlgorithm.HmacSha256,
        ["ecdsa-p256-sha256"] = HttpSignatureAlgorithm.EcdsaP256Sha256,
        ["ecdsa-p384-sha384"] = HttpSignatureAlgorithm.EcdsaP384Sha384,
        ["rsa-pss-sha512"] = HttpSignatureAlgorithm.RsaPssSha512,
        ["rsa-v1_5-sha256"] = HttpSignatureAlgorithm.RsaV15Sha256,
        ["ed25519"] = HttpSignatureAlgorithm.Ed25519,
    };

    /// <summary>The registered name, e.g. <c>ecdsa-p256-sha256</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined value.</exception>
    public static string Name(HttpSignatureAlgorithm algorithm) => algorithm switch
    {
        HttpSignatureAlgorithm.HmacSha256 => "hmac-sha256",
        HttpSignatureAlgorithm.EcdsaP256Sha256 => "ecdsa-p256-sha256",
        HttpSignatureAlgorithm.EcdsaP384Sha384 => "ecdsa-p384-sha384",
        HttpSignatureAlgorithm.RsaPssSha512 => "rsa-pss-sha512",
        HttpSignatureAlgorithm.RsaV15Sha256 => "rsa-v1_5-sha256",
        HttpSignatureAlgorithm.Ed25519 => "ed25519",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown HTTP signature algorithm."),
    };

    /// <summary>Looks a registered name up (exact, case-sensitive match).</summary>
    public static bool TryParse([NotNullWhen(true)] string? name, out HttpSignatureAlgorithm algorithm) =>
        ByName.TryGetValue(name ?? "", out algorithm);

    /// <summary>Looks a registered name up.</summary>
    /// <exception cref="MessageSignatureException"><see cref="MessageSignatureError.UnknownAlgorithm"/>: not a registered name.</exception>
    public static HttpSignatureAlgorithm Parse(string name) =>
        TryParse(name, out var algorithm)
            ? algorithm
            : throw new MessageSignatureException(MessageSignatureError.UnknownAlgorithm, "Unknown HTTP signature algorithm.");
}
