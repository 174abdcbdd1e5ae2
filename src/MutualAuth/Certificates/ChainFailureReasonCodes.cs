namespace MutualAuth.Certificates;

/// <summary>The stable codes of <see cref="ChainFailureReason"/>.</summary>
public static class ChainFailureReasonCodes
{
    /// <summary>The kebab-case code, e.g. <c>untrusted-root</c>; <c>ok</c> for <see cref="ChainFailureReason.None"/>.</summary>
    public static string ToCode(this ChainFailureReason reason) => reason switch
    {
        ChainFailureReason.None => "ok",
        ChainFailureReason.NoCertificate => "no-certificate",
        ChainFailureReason.Expired => "expired",
        ChainFailureReason.NotYetValid => "not-yet-valid",
        ChainFailureReason.UntrustedRoot => "untrusted-root",
        ChainFailureReason.BadSignature => "bad-signature",
        ChainFailureReason.EkuMissing => "eku-missing",
        ChainFailureReason.KeyUsage => "key-usage",
        ChainFailureReason.InvalidBasicConstraints => "invalid-basic-constraints",
        ChainFailureReason.NameConstraintViolation => "name-constraint-violation",
        ChainFailureReason.ChainTooLong => "chain-too-long",
        ChainFailureReason.Revoked => "revoked",
        ChainFailureReason.CrlMissing => "crl-missing",
        ChainFailureReason.CrlStale => "crl-stale",
        ChainFailureReason.NameMismatch => "name-mismatch",
        ChainFailureReason.PinMismatch => "pin-mismatch",
        ChainFailureReason.NotAllowed => "not-allowed",
        ChainFailureReason.ExtendedKeyUsageNotAllowed => "eku-not-allowed",
        ChainFailureReason.InvalidExtension => "invalid-extension",
        ChainFailureReason.InvalidSerialNumber => "invalid-serial",
        ChainFailureReason.ForbiddenAlgorithm => "forbidden-algorithm",
        ChainFailureReason.Malformed => "malformed",
        _ => "invalid-chain",
    };
}
