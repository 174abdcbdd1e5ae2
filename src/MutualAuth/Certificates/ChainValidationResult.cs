namespace MutualAuth.Certificates;

/// <summary>The outcome of <see cref="ChainValidator"/>.</summary>
public sealed record ChainValidationResult
{
    /// <summary>Why it failed, or <see cref="ChainFailureReason.None"/>.</summary>
    public required ChainFailureReason Reason { get; init; }

    /// <summary>A sentence for the operator (log, CLI). Contains names and dates, never key material. Not for the peer.</summary>
    public required string Detail { get; init; }

    /// <summary>Subjects from leaf to trust anchor, when a chain was built.</summary>
    public IReadOnlyList<string> ChainSubjects { get; init; } = [];

    /// <summary>
    /// SHA-256 thumbprints (upper-case hex) of the certificates from leaf to trust anchor, when a chain was built: the
    /// certificates the path actually used, as opposed to everything the peer sent.
    /// </summary>
    public IReadOnlyList<string> ChainThumbprints { get; init; } = [];

    /// <summary>Whether the certificate was accepted.</summary>
    public bool IsValid => Reason == ChainFailureReason.None;

    /// <summary>The stable reason code, e.g. <c>revoked</c>.</summary>
    public string Code => Reason.ToCode();

    internal static ChainValidationResult Fail(ChainFailureReason reason, string detail, IReadOnlyList<string>? chain = null) =>
        new() { Reason = reason, Detail = detail, ChainSubjects = chain ?? [] };
}
