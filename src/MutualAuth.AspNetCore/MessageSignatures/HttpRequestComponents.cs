using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using MutualAuth.MessageSignatures;

namespace MutualAuth.AspNetCore.MessageSignatures;

/// <summary>The RFC 9421 view of an ASP.NET Core request: method, the target URI as received, and every header field line.</summary>
internal static class HttpRequestComponents
{
    public static HttpMessageComponents From(HttpRequest request)
    {
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var target = string.IsNullOrEmpty(rawTarget) || !rawTarget.StartsWith('/') ? request.PathBase + request.Path + request.QueryString : rawTarget;
        var uri = new Uri($"{request.Scheme}://{request.Host}{target}");
        var fields = request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? "")));
        return HttpMessageComponents.ForRequest(request.Method, uri, fields);
    }
}
