namespace MutualAuth.Http;

/// <summary>
/// Unwraps a server verification failure from the <see cref="HttpRequestException"/> that carries it, so callers catch
/// <see cref="MutualAuthenticationException"/> with its reason code.
/// </summary>
internal sealed class ServerVerificationHandler : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (MutualAuthenticationException.Find(e) is { } refused)
        {
            throw new MutualAuthenticationException(refused.Method, refused.Reason, refused.RefusedBy, refused.Message, e)
            {
                RetryAfter = refused.RetryAfter,
            };
        }
    }
}
