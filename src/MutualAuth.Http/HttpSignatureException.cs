namespace MutualAuth.Http;

/// <summary>
/// The response was refused because the server did not prove itself: its signature is missing, does not verify with the
/// expected key (the pinned server key, or for an <c>hmac-sha256</c> client the key derived from its secret), is not
/// bound to the request this client sent, or its Content-Digest does not match the body. The response was discarded
/// unread. <see cref="Reason"/> is a stable code.
/// </summary>
public sealed class HttpSignatureException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HttpSignatureException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public HttpSignatureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public HttpSignatureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a reason code.</summary>
    /// <param name="reason">A stable code, e.g. <c>missing-signature</c>, <c>invalid-signature</c>, <c>content-digest-mismatch</c>.</param>
    /// <param name="message">What failed.</param>
    public HttpSignatureException(string reason, string message)
        : base(message) => Reason = reason;

    /// <summary>A stable code for what failed.</summary>
    public string Reason { get; } = "refused";
}
