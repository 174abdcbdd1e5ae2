using Microsoft.AspNetCore.Http;
using MutualAuth.AspNetCore.Authentication;
using Yarp.ReverseProxy.Forwarder;

namespace MutualAuth.Gateway;

/// <summary>
/// Copies the request as YARP does with the upstream's host name, sets X-Forwarded-For/Proto/Host and adds the identity
/// headers; a request without identity is refused unless a <c>none</c> route let it through.
/// </summary>
// X-Forwarded-* replace client-sent values: the gateway is the edge.
internal sealed class IdentityForwardingTransformer(IdentityHeaders headers) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var identity = httpContext.GetMutualIdentity();
        if (identity is null && httpContext.Items[typeof(AnonymousAccess)] is null)
        {
            throw new InvalidOperationException("Refusing to forward a request without an authenticated identity.");
        }

        proxyRequest.Headers.Host = null;
        SetHeader(proxyRequest, "X-Forwarded-For", httpContext.Connection.RemoteIpAddress?.ToString());
        SetHeader(proxyRequest, "X-Forwarded-Proto", httpContext.Request.Scheme);
        SetHeader(proxyRequest, "X-Forwarded-Host", httpContext.Request.Host.Value);
        foreach (var (name, value) in identity is null ? [] : headers.For(identity))
        {
            SetHeader(proxyRequest, name, value);
        }
    }

    private static void SetHeader(HttpRequestMessage request, string name, string? value)
    {
        request.Headers.Remove(name);
        if (!string.IsNullOrEmpty(value))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
