using System.Text;
using Microsoft.AspNetCore.Http;
using MutualAuth.Identity;

namespace MutualAuth.AspNetCore.Gateway;

/// <summary>
/// The identity headers the gateway sends upstream (<c>{prefix}Subject</c>, <c>Method</c>, <c>Credential</c>,
/// <c>Amr</c>, <c>Dns</c>, <c>Ip</c>, <c>Uri</c>) and the stripping of any the client sent. Values are
/// comma-separated; bytes outside printable ASCII, <c>%</c> and <c>,</c> are percent-encoded.
/// </summary>
/// <param name="prefix">Header name prefix, e.g. <c>X-MutualAuth-</c>.</param>
public sealed class IdentityHeaders(string prefix)
{
    /// <summary>Removes every header whose name starts with the prefix (case-insensitive).</summary>
    public void Strip(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var name in headers.Keys.Where(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            headers.Remove(name);
        }
    }

    /// <summary>The headers describing <paramref name="identity"/>, empty lists left out.</summary>
    public IEnumerable<KeyValuePair<string, string>> For(MutualIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var values = new (string Name, IEnumerable<string> Values)[]
        {
            ("Subject", [identity.Subject]),
            ("Method", [identity.Method]),
            ("Credential", [identity.CredentialId]),
            ("Amr", identity.Amr),
            ("Dns", identity.Names.DnsNames),
            ("Ip", identity.Names.IpAddresses),
            ("Uri", identity.Names.Uris),
        };
        foreach (var (name, list) in values)
        {
            var joined = string.Join(",", list.Select(Encode));
            if (joined.Length > 0)
            {
                yield return new(prefix + name, joined);
            }
        }
    }

    private static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is < 0x20 or > 0x7E or (byte)'%' or (byte)',')
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append((char)b);
            }
        }

        return builder.ToString();
    }
}
