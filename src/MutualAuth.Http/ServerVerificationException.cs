using MutualAuth.Certificates;

namespace MutualAuth.Http;

/// <summary>
/// The server failed verification during the TLS handshake; the request was not sent to it. <see cref="Reason"/>
/// gives the code, <see cref="Exception.Message"/> the operator-facing explanation.
/// </summary>
public sealed class ServerVerificationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServerVerificationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ServerVerificationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ServerVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from a refused validation.</summary>
    public ServerVerificationException(ChainValidationResult result)
        : base((result ?? throw new ArgumentNullException(nameof(result))).Code + ": " + result.Detail) => Reason = result.Reason;

    /// <summary>Creates the exception with a reason, message and cause (used to rethrow a failure found inside another exception).</summary>
    public ServerVerificationException(ChainFailureReason reason, string message, Exception innerException)
        : base(message, innerException) => Reason = reason;

    /// <summary>Why the server was refused.</summary>
    public ChainFailureReason Reason { get; } = ChainFailureReason.InvalidChain;
}
