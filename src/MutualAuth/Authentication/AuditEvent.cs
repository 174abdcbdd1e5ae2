namespace MutualAuth.Authentication;

/// <summary>
/// One authentication decision. Holds names, codes and addresses, never secrets, proofs or key material.
/// </summary>
public sealed record AuditEvent
{
    /// <summary>When the decision was made (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary><see cref="AuditDecision.Accept"/> or <see cref="AuditDecision.Refuse"/>.</summary>
    public required AuditDecision Decision { get; init; }

    /// <summary>The method (<c>mtls</c>…).</summary>
    public required string Method { get; init; }

    /// <summary>The peer's address and port, when known.</summary>
    public string? PeerAddress { get; init; }

    /// <summary>The claimed or proven subject, when known.</summary>
    public string? Subject { get; init; }

    /// <summary>The credential id (certificate serial…), when known.</summary>
    public string? CredentialId { get; init; }

    /// <summary>A stable reason code (<c>ok</c>, <c>revoked</c>, <c>untrusted-root</c>…).</summary>
    public required string ReasonCode { get; init; }

    /// <summary>An operator-facing sentence; no secrets.</summary>
    public string? Detail { get; init; }
}
