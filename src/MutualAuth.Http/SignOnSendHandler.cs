namespace MutualAuth.Http;

/// <summary>
/// Signs each request as it is transmitted for the <see cref="HttpSignatureHandler"/> above it, so a handler between them
/// that sends several requests per call (SCRAM's round trips, a retry) gives every transmission its own nonce and signature.
/// </summary>
// It sits right above the transport (MutualAuthHandlers.Create, AddMutualTls); a request no HttpSignatureHandler marked
// passes through untouched.
internal sealed class SignOnSendHandler : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Options.TryGetValue(SignedTransmissions.Key, out var transmissions))
        {
            await transmissions.SignAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a <see cref="SignOnSendHandler"/> is among the handlers below <paramref name="handler"/>.</summary>
    internal static bool IsBelow(DelegatingHandler handler)
    {
        for (var inner = handler.InnerHandler; inner is not null; inner = (inner as DelegatingHandler)?.InnerHandler)
        {
            if (inner is SignOnSendHandler)
            {
                return true;
            }
        }

        return false;
    }
}
