using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;

namespace MutualAuth.Scram;

/// <summary>
/// What the server stores for a user (RFC 5802 §3): salt, iteration count, StoredKey = H(ClientKey) and
/// ServerKey = HMAC(SaltedPassword, "Server Key"). The password itself is never stored.
/// </summary>
/// <param name="Mechanism">The mechanism (hash) the keys belong to.</param>
/// <param name="Salt">The salt.</param>
/// <param name="Iterations">The PBKDF2 iteration count (Hi).</param>
/// <param name="StoredKey">H(ClientKey).</param>
/// <param name="ServerKey">HMAC(SaltedPassword, "Server Key").</param>
public sealed record ScramCredential(ScramMechanism Mechanism, byte[] Salt, int Iterations, byte[] StoredKey, byte[] ServerKey)
{
    /// <summary>The minimum iteration count accepted anywhere (RFC 7677 §4).</summary>
    public const int MinIterations = 4096;

    /// <summary>Whether <paramref name="userName"/> can take part in an exchange: SASLprep (RFC 4013) accepts it and
    /// its prepared form has 1–255 characters.</summary>
    public static bool IsSupportedUserName(string userName) => TryPrepareUserName(userName, out _);

    /// <summary>The form of <paramref name="userName"/> that exchanges use and stores hold: its SASLprep (RFC 4013) form
    /// of 1–255 characters, e.g. <c>IX</c> for <c>I&#x00AD;X</c> or <c>&#x2168;</c>.</summary>
    /// <returns>Whether the name is supported.</returns>
    public static bool TryPrepareUserName(string userName, [NotNullWhen(true)] out string? prepared)
    {
        prepared = userName is not null && SaslPrep.TryPrepare(userName, out var result, out _) && result.Length <= 255 ? result : null;
        return prepared is not null;
    }

    /// <summary>Derives the verifier of <paramref name="password"/>.</summary>
    /// <param name="mechanism">The mechanism.</param>
    /// <param name="password">The password: hashed in its SASLprep (RFC 4013) form, or as raw UTF-8 when SASLprep refuses it, as PostgreSQL does.</param>
    /// <param name="salt">The salt.</param>
    /// <param name="iterations">The PBKDF2 iteration count.</param>
    /// <exception cref="ScramException">The password is empty or contains a lone surrogate.</exception>
    public static ScramCredential Derive(ScramMechanism mechanism, string password, byte[] salt, int iterations)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        ArgumentNullException.ThrowIfNull(salt);
        var salted = SaltedPassword(mechanism, password, salt, iterations);
        try
        {
            var clientKey = mechanism.Hmac(salted, "Client Key"u8);
            return new ScramCredential(mechanism, salt, iterations, mechanism.H(clientKey), mechanism.Hmac(salted, "Server Key"u8));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(salted);
        }
    }

    /// <summary>Creates a verifier with a fresh 16-byte salt.</summary>
    public static ScramCredential Create(ScramMechanism mechanism, string password, int iterations = MinIterations) =>
        Derive(mechanism, password, RandomNumberGenerator.GetBytes(16), iterations);

    /// <summary>PostgreSQL's form: <c>SCRAM-SHA-256$&lt;iter&gt;:&lt;salt&gt;$&lt;StoredKey&gt;:&lt;ServerKey&gt;</c> (base64).</summary>
    public string ToPostgres() =>
        Mechanism.Hash == HashAlgorithmName.SHA256
            ? $"SCRAM-SHA-256${Iterations.ToString(CultureInfo.InvariantCulture)}:{Convert.ToBase64String(Salt)}${Convert.ToBase64String(StoredKey)}:{Convert.ToBase64String(ServerKey)}"
            : throw new InvalidOperationException("PostgreSQL stores SCRAM-SHA-256 verifiers only.");

    /// <summary>Parses PostgreSQL's verifier form.</summary>
    /// <exception cref="FormatException">Not a SCRAM-SHA-256 verifier.</exception>
    public static ScramCredential ParsePostgres(string verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        var parts = verifier.Split('$');
        if (parts.Length != 3 || parts[0] != "SCRAM-SHA-256")
        {
            throw new FormatException("Not a PostgreSQL SCRAM-SHA-256 verifier.");
        }

        var iterationAndSalt = parts[1].Split(':');
        var keys = parts[2].Split(':');
        try
        {
            if (iterationAndSalt.Length != 2 || keys.Length != 2
                || !int.TryParse(iterationAndSalt[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
            {
                throw new FormatException("Not a PostgreSQL SCRAM-SHA-256 verifier.");
            }

            var credential = new ScramCredential(ScramMechanism.Sha256, Convert.FromBase64String(iterationAndSalt[1]), iterations, Convert.FromBase64String(keys[0]), Convert.FromBase64String(keys[1]));
            return credential.StoredKey.Length == 32 && credential.ServerKey.Length == 32 ? credential : throw new FormatException("Keys of a SCRAM-SHA-256 verifier are 32 bytes.");
        }
        catch (FormatException e) when (e.Message.StartsWith("The input", StringComparison.Ordinal))
        {
            throw new FormatException("The verifier's base64 is malformed.", e);
        }
    }

    internal static byte[] SaltedPassword(ScramMechanism mechanism, string password, byte[] salt, int iterations)
    {
        var bytes = ScramPassword.Bytes(password);
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(bytes, salt, iterations, mechanism.Hash, mechanism.HashSize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
