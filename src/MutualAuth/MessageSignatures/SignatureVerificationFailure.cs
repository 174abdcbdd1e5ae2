namespace MutualAuth.MessageSignatures;

/// <summary>Why <see cref="MessageVerifier"/> refused a message; <see cref="None"/> when it verified. Send clients a generic refusal and log this.</summary>
public enum SignatureVerificationFailure
{
    /// <summary>The signature verified and every policy check passed.</summary>
    None,

    /// <summary>The message has no <c>Signature-Input</c> or no <c>Signature</c> field.</summary>
    MissingSignature,

    /// <summary>A signature field is not well-formed (§4).</summary>
    MalformedSignatureFields,

    /// <summary>No signature matches the policy's label, tag and keyid.</summary>
    NoMatchingSignature,

    /// <summary>More than one signature matches the policy; none is picked.</summary>
    AmbiguousSignature,

    /// <summary>The selected label has a <c>Signature-Input</c> member but no <c>Signature</c> member.</summary>
    SignatureValueMissing,

    /// <summary>The signature has no <c>keyid</c>.</summary>
    MissingKeyId,

    /// <summary>No key is registered under the <c>keyid</c> (or it is revoked).</summary>
    UnknownKey,

    /// <summary>The <c>alg</c> parameter names another algorithm than the key's registration (§3.2).</summary>
    AlgorithmMismatch,

    /// <summary>A component the policy requires is not covered.</summary>
    MissingRequiredComponent,

    /// <summary>The signature has no <c>created</c> and the policy requires one.</summary>
    MissingCreated,

    /// <summary><c>created</c> is later than now plus the allowed clock skew.</summary>
    CreatedInFuture,

    /// <summary><c>created</c> is older than the policy's maximum age plus skew.</summary>
    TooOld,

    /// <summary>The signature has no <c>expires</c> and the policy requires one.</summary>
    MissingExpires,

    /// <summary><c>expires</c> has passed (beyond the allowed skew).</summary>
    Expired,

    /// <summary>The signature has no <c>nonce</c> and the policy requires one.</summary>
    MissingNonce,

    /// <summary>A covered component is listed twice (§2.5).</summary>
    DuplicateComponent,

    /// <summary>A covered component is absent from the message (a field, a query parameter, the related request).</summary>
    MissingComponent,

    /// <summary>The signature base cannot be built (an invalid identifier or value).</summary>
    InvalidSignatureBase,

    /// <summary>The signature does not verify with the key over the signature base.</summary>
    BadSignature,
}
