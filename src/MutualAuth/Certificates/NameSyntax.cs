using System.Net.Mail;

namespace MutualAuth.Certificates;

/// <summary>
/// What the CA accepts as subject alternative names (RFC 5280 §4.2.1.6, CA/B Forum rules): preferred-syntax DNS
/// names with at most a whole left-most wildcard label over at least two more labels and not over a public suffix,
/// absolute URIs with a host and no user information, and plain e-mail addresses.
/// </summary>
internal static class NameSyntax
{
    /// <summary>Whether <paramref name="name"/> is a DNS name the CA may certify, e.g. <c>api.example.org</c> or <c>*.example.org</c>.</summary>
    public static bool IsDnsName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 253 || System.Net.IPAddress.TryParse(name, out _))
        {
            return false;
        }

        var labels = name.Split('.');
        var first = labels[0] == "*" ? 1 : 0;
        if (first == 1 && (labels.Length < 3 || NameRules.IsWildcardOverPublicSuffix(name)))
        {
            return false;
        }

        return labels.Skip(first).All(label => label.Length is > 0 and <= 63
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && label[0] != '-' && label[^1] != '-');
    }

    /// <summary>Whether <paramref name="uri"/> is a URI the CA may certify: absolute, with a host, without user information.</summary>
    public static bool IsUri(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsAbsoluteUri && uri.Host.Length > 0 && uri.UserInfo.Length == 0 && !uri.OriginalString.Any(char.IsWhiteSpace);
    }

    /// <summary>Whether <paramref name="address"/> is a plain e-mail address (<c>local@domain</c>).</summary>
    public static bool IsEmailAddress(string address) =>
        MailAddress.TryCreate(address, out var parsed) && parsed.Address == address && parsed.DisplayName.Length == 0 && IsDnsName(parsed.Host);
}
