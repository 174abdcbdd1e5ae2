namespace MutualAuth.MessageSignatures;

/// <summary>
/// An HTTP Message Signatures operation (RFC 9421) could not be carried out; <see cref="Error"/> says why. The message
/// never contains key material or signature values. Verification refusals are results, not this exception.
/// </summary>
public sealed class MessageSignatureException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MessageSignatureException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MessageSignatureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public MessageSignatureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with an error code.</summary>
    public MessageSignatureException(MessageSignatureError error, string message, Exception? innerException = null)
        : base(message, innerException) => Error = error;

    /// <summary>The error code.</summary>
    public MessageSignatureError Error { get; } = MessageSignatureError.InvalidComponentIdentifier;
}
