using System.Text;
using Microsoft.AspNetCore.Http;
using MutualAuth.Authentication;
using MutualAuth.Certificates;

namespace MutualAuth.Gateway;

/// <summary>
/// The identity headers the gateway sends upstream (<c>{prefix}Subject</c>, <c>Method</c>…, listed in docs/mtls.md)
/// and the stripping of any the client sent.
/// </summary>
internal sealed class IdentityHeaders
{
    private readonly string _prefix;
    private readonly string[] _stripped;

    /// <summary>Creates the header set.</summary>
    /// <param name="prefix">Header name prefix, e.g. <c>X-MutualAuth-</c>: letters, digits and <c>-</c> only.</param>
    /// <exception cref="ArgumentException">The prefix is empty or not a header-name token.</exception>
    public IdentityHeaders(string prefix)
    {
        if (!IsValidPrefix(prefix))
        {
            throw new ArgumentException($"'{prefix}' is not a valid header name prefix (letters, digits and '-', at most 64).", nameof(prefix));
        }

        _prefix = prefix;
        _stripped = [Normalize(prefix), "X-FORWARDED-", "FORWARDED"];
    }

    /// <summary>Whether <paramref name="prefix"/> can start header names: 1–64 letters, digits or <c>-</c>.</summary>
    public static bool IsValidPrefix(string? prefix) =>
        !string.IsNullOrEmpty(prefix) && prefix.Length <= 64 && prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>
    /// Removes every client-sent header that could pass for one the gateway sets: the prefix, <c>X-Forwarded-</c> or
    /// <c>Forwarded</c>, ignoring case and reading <c>_</c> as <c>-</c>.
    /// </summary>
    // '_' as '-': CGI, WSGI and PHP upstreams merge the two.
    public void Strip(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var name in headers.Keys.Where(k => _stripped.Any(p => Normalize(k).StartsWith(p, StringComparison.Ordinal))).ToList())
        {
            headers.Remove(name);
        }
    }

    /// <summary><c>mtls</c> → <c>Mtls</c>: a method name as a header-name word.</summary>
    private static string HeaderWord(string method) =>
        method.Length == 0 ? method : char.ToUpperInvariant(method[0]) + method[1..].ToLowerInvariant();

    private static string Normalize(string name) => name.Replace('_', '-').ToUpperInvariant();

    /// <summary>The headers describing <paramref name="identity"/>, empty lists left out.</summary>
    public IEnumerable<KeyValuePair<string, string>> For(MutualIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var names = (identity.Evidence as CertificateEvidence)?.Names ?? new SubjectAlternativeNames();
        (string Name, IEnumerable<string> Values)[] values =
        [
            ("Subject", [identity.Subject]),
            ("Method", [identity.Method]),
            ("Credential", [identity.CredentialId]),
            ("Amr", identity.Amr),
            ("Dns", names.DnsNames),
            ("Ip", names.IpAddresses),
            ("Uri", names.Uris),
            .. identity.Factors.SelectMany(f => new (string, IEnumerable<string>)[]
            {
                ("Subject-" + HeaderWord(f.Method), [f.Subject]),
                ("Credential-" + HeaderWord(f.Method), [f.CredentialId]),
            }),
        ];
        foreach (var (name, list) in values)
        {
            var joined = string.Join(",", list.Select(Encode));
            if (joined.Length > 0)
            {
                yield return new(_prefix + name, joined);
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
