using System.Security.Cryptography;

namespace MutualAuth.Scram;

/// <summary>A SCRAM mechanism (RFC 5802 §4, RFC 7677): its name, hash and whether it binds the TLS channel (-PLUS).</summary>
public sealed record ScramMechanism
{
    private ScramMechanism(string name, HashAlgorithmName hash, int hashSize, bool channelBinding)
    {
        Name = name;
        Hash = hash;
        HashSize = hashSize;
        UsesChannelBinding = channelBinding;
    }

    /// <summary>The IANA name, e.g. <c>SCRAM-SHA-256-PLUS</c>.</summary>
    public string Name { get; }

    /// <summary>The hash of H(), HMAC() and Hi().</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>Output size of the hash, in bytes.</summary>
    public int HashSize { get; }

    /// <summary>Whether this is a -PLUS mechanism (channel binding required).</summary>
    public bool UsesChannelBinding { get; }

    /// <summary>SCRAM-SHA-256 (RFC 7677).</summary>
    public static ScramMechanism Sha256 { get; } = new("SCRAM-SHA-256", HashAlgorithmName.SHA256, 32, false);

    /// <summary>SCRAM-SHA-256-PLUS (RFC 7677, channel binding).</summary>
    public static ScramMechanism Sha256Plus { get; } = new("SCRAM-SHA-256-PLUS", HashAlgorithmName.SHA256, 32, true);

    /// <summary>SCRAM-SHA-512.</summary>
    public static ScramMechanism Sha512 { get; } = new("SCRAM-SHA-512", HashAlgorithmName.SHA512, 64, false);

    /// <summary>SCRAM-SHA-512-PLUS (channel binding).</summary>
    public static ScramMechanism Sha512Plus { get; } = new("SCRAM-SHA-512-PLUS", HashAlgorithmName.SHA512, 64, true);

    /// <summary>SCRAM-SHA-1 (RFC 5802): only to check RFC 5802's own test vectors; never offered.</summary>
    internal static ScramMechanism Sha1ForTestVectors { get; } = new("SCRAM-SHA-1", HashAlgorithmName.SHA1, 20, false);

    internal byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => CryptographicOperations.HmacData(Hash, key, data);

    internal byte[] H(ReadOnlySpan<byte> data) => CryptographicOperations.HashData(Hash, data);
}
