namespace MutualAuth.Storage;

/// <summary>
/// A client's RFC 9421 key registered under its <c>keyid</c>, with its registered algorithm (a message never chooses
/// it, §3.3.7); public keys only, HMAC secrets sealed (<see cref="SealedSecret"/>).
/// </summary>
public sealed record SignatureKeyRecord
{
    /// <summary>The <c>keyid</c> signature parameter (1–128 visible ASCII characters).</summary>
    public required string KeyId { get; init; }

    /// <summary>The client (person, service, device) the key belongs to.</summary>
    public required string Client { get; init; }

    /// <summary>The RFC 9421 algorithm name, e.g. <c>hmac-sha256</c>, <c>ecdsa-p256-sha256</c>, <c>ed25519</c>.</summary>
    public required string Algorithm { get; init; }

    /// <summary>The public key (SubjectPublicKeyInfo DER) of an asymmetric key; null for HMAC.</summary>
    public byte[]? PublicKey { get; init; }

    /// <summary>The HMAC secret sealed by the store's secret box (AES-GCM); null for asymmetric keys.</summary>
    public byte[]? SealedSecret { get; init; }

    /// <summary>When the key was registered.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>After this instant the key no longer verifies (set when it is rotated, for the overlap); null for no end.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>When the key was revoked; a revoked key never verifies.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Whether the key verifies at <paramref name="now"/>: not revoked and not past <see cref="NotAfter"/>.</summary>
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (NotAfter is null || now < NotAfter);
}
