using System.Text;
using System.Text.RegularExpressions;

namespace MutualAuth.Certificates;

/// <summary>
/// A glob used by allow-rules: <c>*</c> matches any run of characters within one label or path
/// segment (it never crosses the separator given to the constructor), <c>**</c> matches anything, <c>?</c> one
/// character. Matching runs in linear time (non-backtracking), whatever a peer puts in its certificate.
/// </summary>
public sealed class GlobPattern
{
    private readonly Regex _regex;

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    /// <param name="pattern">The glob, e.g. <c>*.example.org</c> or <c>spiffe://example.org/ns/*/sa/*</c>.</param>
    /// <param name="separator">The character <c>*</c> does not cross (<c>'.'</c> for DNS, <c>'/'</c> for URIs), or <see langword="null"/>.</param>
    /// <param name="ignoreCase">Whether matching ignores ASCII case (DNS names).</param>
    public GlobPattern(string pattern, char? separator, bool ignoreCase)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        Pattern = pattern;
        var notSeparator = separator is null ? "." : "[^" + Regex.Escape(separator.Value.ToString()) + "]";
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    regex.Append(".*");
                    i++;
                    break;
                case '*':
                    regex.Append(notSeparator).Append('*');
                    break;
                case '?':
                    regex.Append(notSeparator);
                    break;
                default:
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
            }
        }

        regex.Append('$');
        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline;
        _regex = new Regex(regex.ToString(), ignoreCase ? options | RegexOptions.IgnoreCase : options);
    }

    /// <summary>The glob as written.</summary>
    public string Pattern { get; }

    /// <summary>Whether <paramref name="value"/> matches the whole pattern.</summary>
    public bool IsMatch(string value) => _regex.IsMatch(value);

    /// <inheritdoc />
    public override string ToString() => Pattern;
}
