namespace MutualAuth.Certificates;

/// <summary>How one check of a <see cref="ChainValidationReport"/> ended.</summary>
internal enum ValidationOutcome
{
    /// <summary>The check passed.</summary>
    Passed,

    /// <summary>The check failed; the certificate is refused.</summary>
    Failed,

    /// <summary>The check does not apply (e.g. no pins configured) or needs a valid path that could not be built.</summary>
    Skipped,
}
