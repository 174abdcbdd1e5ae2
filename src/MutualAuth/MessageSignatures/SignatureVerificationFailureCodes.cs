using MutualAuth.Authentication;

namespace MutualAuth.MessageSignatures;

/// <summary>The reason code of each <see cref="SignatureVerificationFailure"/>, from <see cref="SignatureReasons"/>.</summary>
internal static class SignatureVerificationFailureCodes
{
    /// <summary>The code of <paramref name="failure"/>; <see cref="ReasonCode.Ok"/> for <see cref="SignatureVerificationFailure.None"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined value.</exception>
    public static ReasonCode ToReasonCode(this SignatureVerificationFailure failure) => failure switch
    {
        SignatureVerificationFailure.None => ReasonCode.Ok,
        SignatureVerificationFailure.MissingSignature => SignatureReasons.MissingSignature,
        SignatureVerificationFailure.MalformedSignatureFields => SignatureReasons.MalformedSignatureFields,
        SignatureVerificationFailure.NoMatchingSignature => SignatureReasons.NoMatchingSignature,
        SignatureVerificationFailure.AmbiguousSignature => SignatureReasons.AmbiguousSignature,
        SignatureVerificationFailure.SignatureValueMissing => SignatureReasons.SignatureValueMissing,
        SignatureVerificationFailure.MissingKeyId => SignatureReasons.MissingKeyId,
        SignatureVerificationFailure.UnknownKey => SignatureReasons.UnknownKey,
        SignatureVerificationFailure.AlgorithmMismatch => SignatureReasons.AlgorithmMismatch,
        SignatureVerificationFailure.MissingRequiredComponent => SignatureReasons.MissingRequiredComponent,
        SignatureVerificationFailure.MissingCreated => SignatureReasons.MissingCreated,
        SignatureVerificationFailure.CreatedInFuture => SignatureReasons.CreatedInFuture,
        SignatureVerificationFailure.TooOld => SignatureReasons.TooOld,
        SignatureVerificationFailure.MissingExpires => SignatureReasons.MissingExpires,
        SignatureVerificationFailure.Expired => SignatureReasons.Expired,
        SignatureVerificationFailure.MissingNonce => SignatureReasons.MissingNonce,
        SignatureVerificationFailure.DuplicateComponent => SignatureReasons.DuplicateComponent,
        SignatureVerificationFailure.MissingComponent => SignatureReasons.MissingComponent,
        SignatureVerificationFailure.InvalidSignatureBase => SignatureReasons.InvalidSignatureBase,
        SignatureVerificationFailure.BadSignature => SignatureReasons.BadSignature,
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "Unknown failure."),
    };
}
