using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>
/// Matches a reference identity (host name, IP literal, or URI such as a SPIFFE ID) against a server
/// certificate's SANs (RFC 6125 §6; RFC 9525). The subject CN is never used. A wildcard is allowed only as
/// the whole left-most DNS label and matches exactly one label; URIs match exactly.
/// </summary>
internal static class HostNameMatcher
{
    /// <summary>Whether <paramref name="certificate"/> names <paramref name="host"/>.</summary>
    public static bool Matches(X509Certificate2 certificate, string host)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentException.ThrowIfNullOrEmpty(host);
        var names = SubjectAlternativeNames.From(certificate);
        if (host.Contains("://", StringComparison.Ordinal))
        {
            return names.Uris.Contains(host, StringComparer.Ordinal);
        }

        var trimmed = host.Trim('[', ']');
        if (IPAddress.TryParse(trimmed, out var ip))
        {
            return names.IpAddresses.Any(a => IPAddress.TryParse(a, out var candidate) && candidate.Equals(ip));
        }

        var reference = host.TrimEnd('.').ToLowerInvariant();
        return names.DnsNames.Any(n => DnsNameMatches(n.TrimEnd('.').ToLowerInvariant(), reference));
    }

    private static bool DnsNameMatches(string presented, string reference)
    {
        if (!presented.StartsWith("*.", StringComparison.Ordinal))
        {
            return !presented.Contains('*', StringComparison.Ordinal) && presented == reference;
        }

        var suffix = presented[1..];
        if (suffix.Contains('*', StringComparison.Ordinal) || suffix.Count(c => c == '.') < 2)
        {
            return false;
        }

        var dot = reference.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && reference[dot..] == suffix;
    }
}
