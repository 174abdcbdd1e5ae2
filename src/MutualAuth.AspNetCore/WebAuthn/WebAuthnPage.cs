using Microsoft.AspNetCore.Http;

namespace MutualAuth.AspNetCore.WebAuthn;

/// <summary>Serves the login page's two embedded files with headers that keep it to itself (CSP, no framing, no referrer).</summary>
internal static class WebAuthnPage
{
    // Read once: two small files embedded in the assembly.
    private static readonly Dictionary<string, byte[]> Files = new[] { "index.html", "webauthn.js" }.ToDictionary(name => name, Read, StringComparer.Ordinal);

    public static Task WriteAsync(HttpContext context, string name, string contentType)
    {
        var headers = context.Response.Headers;
        // No framing (WebAuthn in a cross-origin frame is refused anyway), scripts from this origin only, and no
        // Referer, which would carry an enrolment invitation from the URL to other sites.
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        context.Response.ContentType = contentType;
        return context.Response.Body.WriteAsync(Files[name], context.RequestAborted).AsTask();
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(WebAuthnPage).Assembly.GetManifestResourceStream("MutualAuth.AspNetCore.WebAuthn.Page." + name)
            ?? throw new InvalidOperationException($"The WebAuthn page file {name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
