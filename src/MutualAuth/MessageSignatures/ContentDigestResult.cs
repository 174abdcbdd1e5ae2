namespace MutualAuth.MessageSignatures;

/// <summary>The outcome of <c>ContentDigest.Verify</c>.</summary>
public enum ContentDigestResult
{
    /// <summary>At least one known digest is present and every known digest matches the content.</summary>
    Valid,

    /// <summary>The message has no <c>Content-Digest</c> field.</summary>
    Missing,

    /// <summary>The field is not a Dictionary, or a known algorithm's value is not a Byte Sequence.</summary>
    Malformed,

    /// <summary>The field names only algorithms this implementation does not know (RFC 9530 says to ignore them).</summary>
    NoKnownAlgorithm,

    /// <summary>A known digest does not match the content.</summary>
    Mismatch,
}
