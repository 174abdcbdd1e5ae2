namespace MutualAuth.Scram;

/// <summary>A SCRAM exchange failed. The message never contains a password, key, proof or expected signature.</summary>
public sealed class ScramException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScramException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ScramException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ScramException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with an error code.</summary>
    public ScramException(ScramError error, string message)
        : base(message) => Error = error;

    /// <summary>The error code.</summary>
    public ScramError Error { get; } = ScramError.InvalidEncoding;
}
