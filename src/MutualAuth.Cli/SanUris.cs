namespace MutualAuth.Cli;

/// <summary>URI SANs typed by a user: taken exactly as written, and SPIFFE IDs held to the SPIFFE ID rules.</summary>
internal static class SanUris
{
    public static Uri Parse(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw CliException.Usage($"'{text}' is not an absolute URI.");
        }

        if (!string.Equals(uri.AbsoluteUri, text, StringComparison.Ordinal) && !string.Equals(uri.AbsoluteUri, text + "/", StringComparison.Ordinal))
        {
            throw CliException.Usage($"'{text}' is not in normal form (it would be issued as '{uri.AbsoluteUri}'); write it that way.");
        }

        if (uri.Scheme == "spiffe")
        {
            var segments = uri.AbsolutePath.Split('/').Skip(1).ToList();
            if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0 || !uri.IsDefaultPort
                || uri.Host.Length == 0 || segments.Any(s => s is "" or "." or "..") && uri.AbsolutePath != "/")
            {
                throw CliException.Usage($"'{text}' is not a SPIFFE ID (spiffe://trust-domain/path: no port, user, query, fragment, empty or dot segments).");
            }
        }

        return uri;
    }
}
