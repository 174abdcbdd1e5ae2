namespace MutualAuth.MessageSignatures;

/// <summary>
/// The outcome of <see cref="MessageVerifier.Verify"/>: success or a <see cref="Failure"/> code, and what was read — the
/// label, parameters (for the nonce replay check, the keyid for the audit) and, on success, the key that verified.
/// </summary>
public sealed class SignatureVerificationResult
{
    internal SignatureVerificationResult(SignatureVerificationFailure failure, string? label = null, SignatureParameters? parameters = null, HttpSignatureKey? key = null)
    {
        Failure = failure;
        Label = label;
        Parameters = parameters;
        Key = key;
    }

    /// <summary>Whether the message verified under the policy.</summary>
    public bool Succeeded => Failure == SignatureVerificationFailure.None;

    /// <summary>Why the message was refused, or <see cref="SignatureVerificationFailure.None"/>.</summary>
    public SignatureVerificationFailure Failure { get; }

    /// <summary>The label selected by the policy, when one was.</summary>
    public string? Label { get; }

    /// <summary>The selected signature's parameters, when one was selected.</summary>
    public SignatureParameters? Parameters { get; }

    /// <summary>The <c>keyid</c> of the selected signature (claimed until <see cref="Succeeded"/>).</summary>
    public string? KeyId => Parameters?.KeyId;

    /// <summary>The <c>nonce</c>, for the caller's replay cache (insert-if-absent until <c>expires</c>).</summary>
    public string? Nonce => Parameters?.Nonce;

    /// <summary>The key that verified the signature; null unless <see cref="Succeeded"/>. Owned by the key resolver.</summary>
    public HttpSignatureKey? Key { get; }
}
