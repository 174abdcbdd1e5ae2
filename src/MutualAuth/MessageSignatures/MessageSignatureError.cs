namespace MutualAuth.MessageSignatures;

/// <summary>Why an HTTP Message Signatures operation (RFC 9421) could not be carried out.</summary>
public enum MessageSignatureError
{
    /// <summary>A component identifier is malformed: not a lower-case name, an unknown or misused parameter (§2).</summary>
    InvalidComponentIdentifier,

    /// <summary>The same component identifier is listed twice (§2.5).</summary>
    DuplicateComponent,

    /// <summary>A covered component is absent from the message: a field, a dictionary member, a query parameter, the related request (§2.5).</summary>
    MissingComponent,

    /// <summary>A component value cannot be put in a signature base (a line break, a non-ASCII character, or an invalid structured field).</summary>
    InvalidComponentValue,

    /// <summary>The <c>Signature-Input</c> or <c>Signature</c> field is not well-formed (§4).</summary>
    MalformedSignatureFields,

    /// <summary>An <c>alg</c> value is not a registered HTTP signature algorithm (§3.3).</summary>
    UnknownAlgorithm,

    /// <summary>The <c>alg</c> parameter names another algorithm than the key's (§3.2).</summary>
    AlgorithmMismatch,

    /// <summary>The key has no private part (or secret) to sign with.</summary>
    KeyCannotSign,
}
