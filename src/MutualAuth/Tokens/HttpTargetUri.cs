namespace MutualAuth.Tokens;

/// <summary>
/// The RFC 3986 §6.2.2–6.2.3 normal form of an <c>http</c>/<c>https</c> URI as DPoP's <c>htu</c> compares it
/// (RFC 9449 §4.3): scheme and host in lower case, default port dropped, empty path as <c>/</c>, dot segments removed,
/// percent-encoding normalised, query and fragment ignored.
/// </summary>
internal static class HttpTargetUri
{
    private const int MaxLength = 2048;

    /// <summary>The normal form, or null when <paramref name="uri"/> is not an absolute http(s) URI without user info.</summary>
    public static string? Normalize(string? uri)
    {
        if (uri is null || uri.Length > MaxLength || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            return null;
        }

        return Normalize(parsed);
    }

    /// <inheritdoc cref="Normalize(string?)"/>
    public static string? Normalize(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0 || uri.Host.Length == 0)
        {
            return null;
        }

        // Uri already lower-cases scheme and host, removes dot segments and the default port, and upper-cases
        // percent-encodings; GetComponents with UriFormat.UriEscaped gives the path in that one form.
        var authority = uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
        var path = uri.GetComponents(UriComponents.Path | UriComponents.KeepDelimiter, UriFormat.UriEscaped);
        return authority + (path.Length == 0 ? "/" : path);
    }
}
