namespace MutualAuth.Certificates;

/// <summary>One check of a <see cref="ChainValidationReport"/>.</summary>
/// <param name="Check">The check's name, e.g. <c>revocation</c>.</param>
/// <param name="Outcome">Passed, failed or skipped.</param>
/// <param name="Detail">What was found (for a failure, the reason detail).</param>
/// <param name="Reason">For a failure, the reason code; otherwise <see cref="ChainFailureReason.None"/>.</param>
internal sealed record ValidationStep(string Check, ValidationOutcome Outcome, string Detail, ChainFailureReason Reason)
{
    internal static ValidationStep From(string check, ChainValidationResult? failure, string passed) =>
        failure is null
            ? new ValidationStep(check, ValidationOutcome.Passed, passed, ChainFailureReason.None)
            : new ValidationStep(check, ValidationOutcome.Failed, failure.Detail, failure.Reason);
}
