namespace MutualAuth.Http;

/// <summary>
/// Unwraps a server verification failure from the <see cref="HttpRequestException"/> that carries it, so
/// callers catch <see cref="ServerVerificationException"/> with its reason code.
/// </summary>
public sealed class ServerVerificationHandler : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (Find(e) is { } verification)
        {
            throw new ServerVerificationException(verification.Reason, verification.Message, e);
        }
    }

    /// <summary>Finds a <see cref="ServerVerificationException"/> in <paramref name="exception"/>'s inner exceptions.</summary>
    public static ServerVerificationException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is ServerVerificationException found)
            {
                return found;
            }
        }

        return null;
    }
}
