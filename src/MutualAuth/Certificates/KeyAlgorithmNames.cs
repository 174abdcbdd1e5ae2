namespace MutualAuth.Certificates;

/// <summary>Parses and prints the command-line names of <see cref="KeyAlgorithm"/> values.</summary>
internal static class KeyAlgorithmNames
{
    /// <summary>The names accepted by <see cref="TryParse"/>, in the order they are documented.</summary>
    public static IReadOnlyList<string> All { get; } = ["p256", "p384", "rsa3072"];

    /// <summary>Parses <c>p256</c>, <c>p384</c> or <c>rsa3072</c> (case-insensitive).</summary>
    /// <param name="name">The name as typed by a user.</param>
    /// <param name="algorithm">The parsed algorithm when the name is known.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> names a supported key type.</returns>
    public static bool TryParse(string? name, out KeyAlgorithm algorithm)
    {
        switch (name?.Trim().ToUpperInvariant())
        {
            case "P256" or "P-256" or "ECDSA-P256" or "EC":
                algorithm = KeyAlgorithm.EcdsaP256;
                return true;
            case "P384" or "P-384" or "ECDSA-P384":
                algorithm = KeyAlgorithm.EcdsaP384;
                return true;
            case "RSA3072" or "RSA-3072" or "RSA":
                algorithm = KeyAlgorithm.Rsa3072;
                return true;
            default:
                algorithm = default;
                return false;
        }
    }

    /// <summary>The canonical command-line name of <paramref name="algorithm"/>.</summary>
    public static string ToName(this KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => "p256",
        KeyAlgorithm.EcdsaP384 => "p384",
        KeyAlgorithm.Rsa3072 => "rsa3072",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };
}
