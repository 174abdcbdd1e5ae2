using MutualAuth.Authentication;

namespace MutualAuth.Certificates;

/// <summary>The stable codes of <see cref="ChainFailureReason"/>, from <see cref="CertificateReasons"/>.</summary>
internal static class ChainFailureReasonCodes
{
    /// <summary>The kebab-case code, e.g. <c>untrusted-root</c>; <c>ok</c> for <see cref="ChainFailureReason.None"/>.</summary>
    public static string ToCode(this ChainFailureReason reason) => reason.ToReasonCode().Value;

    /// <summary>The reason code of <paramref name="reason"/>; <see cref="ReasonCode.Ok"/> for <see cref="ChainFailureReason.None"/>.</summary>
    public static ReasonCode ToReasonCode(this ChainFailureReason reason) => reason switch
    {
        ChainFailureReason.None => ReasonCode.Ok,
        ChainFailureReason.NoCertificate => CertificateReasons.NoCertificate,
        ChainFailureReason.Expired => CertificateReasons.Expired,
        ChainFailureReason.NotYetValid => CertificateReasons.NotYetValid,
        ChainFailureReason.UntrustedRoot => CertificateReasons.UntrustedRoot,
        ChainFailureReason.BadSignature => CertificateReasons.BadSignature,
        ChainFailureReason.EkuMissing => CertificateReasons.EkuMissing,
        ChainFailureReason.KeyUsage => CertificateReasons.KeyUsage,
        ChainFailureReason.InvalidBasicConstraints => CertificateReasons.InvalidBasicConstraints,
        ChainFailureReason.NameConstraintViolation => CertificateReasons.NameConstraintViolation,
        ChainFailureReason.ChainTooLong => CertificateReasons.ChainTooLong,
        ChainFailureReason.Revoked => CertificateReasons.Revoked,
        ChainFailureReason.CrlMissing => CertificateReasons.CrlMissing,
        ChainFailureReason.CrlStale => CertificateReasons.CrlStale,
        ChainFailureReason.NameMismatch => CertificateReasons.NameMismatch,
        ChainFailureReason.PinMismatch => CertificateReasons.PinMismatch,
        ChainFailureReason.NotAllowed => CertificateReasons.NotAllowed,
        ChainFailureReason.ExtendedKeyUsageNotAllowed => CertificateReasons.ExtendedKeyUsageNotAllowed,
        ChainFailureReason.InvalidExtension => CertificateReasons.InvalidExtension,
        ChainFailureReason.InvalidSerialNumber => CertificateReasons.InvalidSerialNumber,
        ChainFailureReason.ForbiddenAlgorithm => CertificateReasons.ForbiddenAlgorithm,
        ChainFailureReason.Malformed => CertificateReasons.Malformed,
        _ => CertificateReasons.InvalidChain,
    };
}
