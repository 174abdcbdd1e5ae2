using System.Security.Cryptography;
using MutualAuth.Authentication;
using MutualAuth.MessageSignatures.StructuredFields;

namespace MutualAuth.MessageSignatures;

/// <summary>
/// The <c>Content-Digest</c> field (RFC 9530 §2): a Dictionary from algorithm to the hash of the message content (the
/// body bytes after content coding, before transfer coding). Sign it with RFC 9421 to cover the body.
/// </summary>
public static class ContentDigest
{
    /// <summary>The <c>content-digest</c> field name.</summary>
    public const string FieldName = "content-digest";

    /// <summary>The field value for <paramref name="content"/>, e.g. <c>sha-512=:…:</c>.</summary>
    /// <param name="content">The message content.</param>
    /// <param name="algorithm">The hash algorithm (SHA-512 by default).</param>
    public static string Create(ReadOnlySpan<byte> content, ContentDigestAlgorithm algorithm = ContentDigestAlgorithm.Sha512) =>
        Name(algorithm) + "=:" + Convert.ToBase64String(Hash(algorithm, content)) + ":";

    /// <summary>The field value with several digests, e.g. <c>sha-256=:…:, sha-512=:…:</c>.</summary>
    public static string Create(ReadOnlySpan<byte> content, IEnumerable<ContentDigestAlgorithm> algorithms)
    {
        ArgumentNullException.ThrowIfNull(algorithms);
        var members = new List<string>();
        foreach (var algorithm in algorithms.Distinct())
        {
            members.Add(Create(content, algorithm));
        }

        return members.Count > 0 ? string.Join(", ", members) : throw new ArgumentException("At least one algorithm is needed.", nameof(algorithms));
    }

    /// <summary>
    /// Checks the field against <paramref name="content"/>: unknown algorithms are ignored, at least one known one is
    /// required, and every known one must match (compared in constant time).
    /// </summary>
    /// <param name="fieldLines">The <c>Content-Digest</c> field lines, or null when the field is absent.</param>
    /// <param name="content">The message content received.</param>
    public static ContentDigestResult Verify(IReadOnlyList<string>? fieldLines, ReadOnlySpan<byte> content)
    {
        if (fieldLines is null || fieldLines.Count == 0)
        {
            return ContentDigestResult.Missing;
        }

        SfDictionary digests;
        try
        {
            digests = StructuredFieldParser.ParseDictionary(StructuredFieldParser.Combine(fieldLines));
        }
        catch (StructuredFieldException)
        {
            return ContentDigestResult.Malformed;
        }

        var known = 0;
        var matches = true;
        foreach (var (name, member) in digests)
        {
            ContentDigestAlgorithm algorithm;
            switch (name)
            {
                case "sha-256":
                    algorithm = ContentDigestAlgorithm.Sha256;
                    break;
                case "sha-512":
                    algorithm = ContentDigestAlgorithm.Sha512;
                    break;
                default:
                    continue;
            }

            if (member is not SfItem { Value: SfByteSequence expected })
            {
                return ContentDigestResult.Malformed;
            }

            known++;
            matches &= CryptographicOperations.FixedTimeEquals(Hash(algorithm, content), expected.Value.Span);
        }

        return known == 0 ? ContentDigestResult.NoKnownAlgorithm : matches ? ContentDigestResult.Valid : ContentDigestResult.Mismatch;
    }

    /// <summary>Checks the <c>Content-Digest</c> of <paramref name="message"/> against <paramref name="content"/>.</summary>
    public static ContentDigestResult Verify(HttpMessageComponents message, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Verify(message.FieldLines(FieldName), content);
    }

    /// <summary>The stable reason code of a failed check (<c>content-digest-…</c>), the same on server and client.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="result"/> is <see cref="ContentDigestResult.Valid"/> or unknown.</exception>
    public static string ReasonCode(ContentDigestResult result) => result switch
    {
        ContentDigestResult.Missing => SignatureReasons.ContentDigestMissing.Value,
        ContentDigestResult.Malformed => SignatureReasons.ContentDigestMalformed.Value,
        ContentDigestResult.NoKnownAlgorithm => SignatureReasons.ContentDigestNoKnownAlgorithm.Value,
        ContentDigestResult.Mismatch => SignatureReasons.ContentDigestMismatch.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, "Not a failure."),
    };

    private static string Name(ContentDigestAlgorithm algorithm) => algorithm switch
    {
        ContentDigestAlgorithm.Sha256 => "sha-256",
        ContentDigestAlgorithm.Sha512 => "sha-512",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown digest algorithm."),
    };

    private static byte[] Hash(ContentDigestAlgorithm algorithm, ReadOnlySpan<byte> content) => algorithm switch
    {
        ContentDigestAlgorithm.Sha256 => SHA256.HashData(content),
        ContentDigestAlgorithm.Sha512 => SHA512.HashData(content),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown digest algorithm."),
    };
}
