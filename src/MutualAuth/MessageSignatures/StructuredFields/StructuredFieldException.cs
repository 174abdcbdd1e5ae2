namespace MutualAuth.MessageSignatures.StructuredFields;

/// <summary>A Structured Field value (RFC 9651) could not be parsed or serialised; <see cref="Error"/> says why.</summary>
internal sealed class StructuredFieldException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StructuredFieldException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StructuredFieldException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public StructuredFieldException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with an error code.</summary>
    public StructuredFieldException(StructuredFieldError error, string message)
        : base(message) => Error = error;

    /// <summary>The error code.</summary>
    public StructuredFieldError Error { get; } = StructuredFieldError.Syntax;
}
