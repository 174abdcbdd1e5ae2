using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>
/// An SPKI pin: the SHA-256 of a certificate's DER SubjectPublicKeyInfo, written <c>sha256/BASE64</c>
/// as in RFC 7469 §2.4 (<c>pin-sha256</c>) and ghostunnel/curl <c>--pinnedpubkey</c>.
/// </summary>
public sealed class SpkiPin : IEquatable<SpkiPin>
{
    private const string Prefix = "sha256/";
    private readonly byte[] _hash;

    private SpkiPin(byte[] hash) => _hash = hash;

    /// <summary>The pin in <c>sha256/BASE64</c> form.</summary>
    public override string ToString() => Prefix + Convert.ToBase64String(_hash);

    /// <summary>Computes the pin of a certificate's public key.</summary>
    public static SpkiPin FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new SpkiPin(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Parses <c>sha256/BASE64</c> (the prefix may be omitted; <c>pin-sha256="…"</c> is accepted).</summary>
    /// <exception cref="FormatException">Not 32 bytes of base64 after the prefix.</exception>
    public static SpkiPin Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (value.StartsWith("pin-sha256=", StringComparison.OrdinalIgnoreCase))
        {
            value = value["pin-sha256=".Length..].Trim('"');
        }
        else if (value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            value = value[Prefix.Length..];
        }

        byte[] hash;
        try
        {
            hash = Convert.FromBase64String(value);
        }
        catch (FormatException e)
        {
            throw new FormatException($"'{text}' is not an SPKI pin (expected sha256/ followed by base64).", e);
        }

        return hash.Length == 32 ? new SpkiPin(hash) : throw new FormatException($"'{text}' is not an SPKI pin: a SHA-256 pin is 32 bytes, this is {hash.Length}.");
    }

    /// <summary>Whether <paramref name="certificate"/>'s public key has this pin (constant-time comparison).</summary>
    public bool Matches(X509Certificate2 certificate) =>
        CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    /// <inheritdoc />
    public bool Equals(SpkiPin? other) => other is not null && _hash.AsSpan().SequenceEqual(other._hash);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SpkiPin);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(_hash, 0);
}
