using MutualAuth.Scram;

namespace MutualAuth.Http;

/// <summary>
/// A SCRAM login over HTTP failed: the server refused the password (<see cref="ServerRefused"/>), or the server did
/// not prove that it holds the verifier, in which case its response was discarded unread.
/// </summary>
public sealed class ScramAuthenticationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScramAuthenticationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ScramAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ScramAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a failure of kind <paramref name="error"/>.</summary>
    /// <param name="error">What failed.</param>
    /// <param name="serverRefused">True when the server refused the client; false when the server failed to prove itself.</param>
    /// <param name="message">The reason, without secrets.</param>
    /// <param name="innerException">The cause.</param>
    public ScramAuthenticationException(ScramError error, bool serverRefused, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        ServerRefused = serverRefused;
    }

    /// <summary>What failed.</summary>
    public ScramError Error { get; }

    /// <summary>True when the server refused the client (e.g. wrong password); false when the server failed to prove itself.</summary>
    public bool ServerRefused { get; }

    /// <summary>When the server limited failed logins (429): how long it asked the client to wait, if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
