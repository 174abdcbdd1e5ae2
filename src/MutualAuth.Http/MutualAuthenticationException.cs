using MutualAuth.Authentication;

namespace MutualAuth.Http;

/// <summary>
/// A mutual authentication failed: the server refused this client, or the server did not prove itself. Every client
/// handler throws this type; <see cref="Reason"/> is a stable code and <see cref="Exception.InnerException"/> the cause.
/// </summary>
public sealed class MutualAuthenticationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MutualAuthenticationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MutualAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public MutualAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a refusal.</summary>
    /// <param name="method">The method that failed, e.g. <c>mtls</c>, <c>scram</c>, <c>sig</c>.</param>
    /// <param name="reason">The stable reason code.</param>
    /// <param name="refusedBy">Which side refused the other.</param>
    /// <param name="message">What failed, without secrets.</param>
    /// <param name="innerException">The cause, if any.</param>
    public MutualAuthenticationException(string method, ReasonCode reason, RefusingParty refusedBy, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        Method = method;
        Reason = reason;
        RefusedBy = refusedBy;
    }

    /// <summary>The method that failed (<c>mtls</c>, <c>scram</c>, <c>sig</c>…); empty when not known.</summary>
    public string Method { get; } = "";

    /// <summary>Why it failed, as a stable kebab-case code.</summary>
    public ReasonCode Reason { get; } = new("refused");

    /// <summary>Which side refused the other.</summary>
    public RefusingParty RefusedBy { get; } = RefusingParty.Client;

    /// <summary>When the server limited failed attempts (429): how long it asked the client to wait, if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>When the server refused with an HTTP status (an unsigned 401, 413, 429…): that status; otherwise <see langword="null"/>.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Finds a <see cref="MutualAuthenticationException"/> in <paramref name="exception"/> or its inner exceptions.</summary>
    public static MutualAuthenticationException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is MutualAuthenticationException found)
            {
                return found;
            }
        }

        return null;
    }
}
