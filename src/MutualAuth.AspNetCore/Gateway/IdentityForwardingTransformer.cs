using Microsoft.AspNetCore.Http;
using MutualAuth.Identity;
using Yarp.ReverseProxy.Forwarder;

namespace MutualAuth.AspNetCore.Gateway;

/// <summary>Copies the request as YARP does by default, then replaces identity headers with the authenticated identity's.</summary>
internal sealed class IdentityForwardingTransformer(IdentityHeaders headers) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        if (httpContext.Items[typeof(MutualIdentity)] is not MutualIdentity identity)
        {
            throw new InvalidOperationException("Refusing to forward a request without an authenticated identity.");
        }

        foreach (var (name, value) in headers.For(identity))
        {
            proxyRequest.Headers.Remove(name);
            proxyRequest.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
