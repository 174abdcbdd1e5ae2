using System.Globalization;

namespace MutualAuth.WebAuthn;

/// <summary>Origins as browsers serialise them (HTML "ASCII serialization of an origin").</summary>
internal static class WebOrigin
{
    /// <summary>Whether <paramref name="origin"/> is <c>https://host[:port]</c> (or <c>http://localhost[:port]</c>) in its one serialised form.</summary>
    // One form only, so that an exact ordinal comparison is the right comparison: no Uri normalisation may make
    // https://HOST, https://host:443 or https://host/ equal to the configured origin.
    public static bool IsSerialised(string? origin)
    {
        if (origin is null || origin.Length > 512 || !Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var secure = uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.Host == "localhost");
        var expected = uri.Scheme + "://" + uri.Host + (uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(CultureInfo.InvariantCulture));
        return secure && uri.UserInfo.Length == 0 && uri.HostNameType is UriHostNameType.Dns && string.Equals(origin, expected, StringComparison.Ordinal);
    }
}
