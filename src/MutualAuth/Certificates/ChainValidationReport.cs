namespace MutualAuth.Certificates;

/// <summary>The decision of <see cref="ChainValidator.ExplainAt"/> and every check that led to it.</summary>
/// <param name="Result">The decision (the first failed check, or acceptance).</param>
/// <param name="Steps">Each check in order.</param>
internal sealed record ChainValidationReport(ChainValidationResult Result, IReadOnlyList<ValidationStep> Steps)
{
    internal static ChainValidationReport Single(string check, ChainValidationResult failure) =>
        new(failure, [ValidationStep.From(check, failure, "")]);
}
