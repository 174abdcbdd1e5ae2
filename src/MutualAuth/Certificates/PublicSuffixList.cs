using System.Globalization;

namespace MutualAuth.Certificates;

/// <summary>
/// The ICANN section of the Public Suffix List (publicsuffix.org), to refuse a wildcard directly over a public suffix
/// such as <c>*.co.uk</c> (CA/B BR 3.2.2.6). Rules follow the list's published format: plain rules, <c>*.</c> wildcards
/// and <c>!</c> exceptions; IDN rules are compared in their A-label (punycode) form, as names appear in certificates.
/// </summary>
/// <remarks>
/// The data is <c>PublicSuffixes/public_suffix_list.dat</c>, embedded in the library (MPL-2.0, header kept); how to
/// refresh it is in docs/conformance.md. The private section (<c>github.io</c> and the like) is not read: its owners
/// hold wildcards over those names legitimately (GitHub Pages serves <c>*.github.io</c>), and browsers do not refuse
/// them either.
/// </remarks>
internal sealed class PublicSuffixList
{
    private const string ResourceName = "MutualAuth.Certificates.PublicSuffixes.public_suffix_list.dat";
    private const string BeginIcann = "// ===BEGIN ICANN DOMAINS===";
    private const string EndIcann = "// ===END ICANN DOMAINS===";

    // Parsed once, on the first wildcard seen; a few milliseconds for ~7,000 rules.
    private static readonly Lazy<PublicSuffixList> Embedded = new(LoadEmbedded);

    private readonly HashSet<string> _rules = new(StringComparer.Ordinal);
    private readonly HashSet<string> _wildcardParents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exceptions = new(StringComparer.Ordinal);

    private PublicSuffixList()
    {
    }

    /// <summary>The ICANN rules of the list embedded in this library.</summary>
    public static PublicSuffixList Icann => Embedded.Value;

    /// <summary>How many rules were read (plain, wildcard and exception).</summary>
    public int Count => _rules.Count + _wildcardParents.Count + _exceptions.Count;

    /// <summary>Reads the ICANN section of a list in the published format; throws <see cref="FormatException"/> when it has none or a rule is malformed.</summary>
    /// <param name="reader">The list's text.</param>
    public static PublicSuffixList Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var list = new PublicSuffixList();
        var idn = new IdnMapping();
        var section = 0; // 0 before the ICANN section, 1 inside it, 2 after it
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith(BeginIcann, StringComparison.Ordinal))
            {
                section = 1;
                continue;
            }

            if (line.StartsWith(EndIcann, StringComparison.Ordinal))
            {
                section = 2;
                break;
            }

            // A rule is the line up to its first white space; comment lines start with "//".
            var rule = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (section != 1 || rule is null || rule.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            var (set, name) = rule[0] == '!' ? (list._exceptions, rule[1..])
                : rule.StartsWith("*.", StringComparison.Ordinal) ? (list._wildcardParents, rule[2..])
                : (list._rules, rule);
            if (name.Length == 0 || name.Contains('*', StringComparison.Ordinal) || name.Contains('!', StringComparison.Ordinal))
            {
                throw new FormatException($"Public suffix rule '{rule}' is not in the list's format.");
            }

            set.Add(ToAscii(idn, name));
        }

        return section == 2 && list._rules.Count > 0 ? list : throw new FormatException("The list has no complete ICANN section.");
    }

    /// <summary>
    /// Whether <paramref name="domain"/> (A-labels, any case, no wildcard) is itself a public suffix: a listed rule, one
    /// label under a wildcard rule and not an exception, or a single label (the list's implicit <c>*</c> rule).
    /// At most three hash look-ups.
    /// </summary>
    /// <param name="domain">The name, e.g. <c>co.uk</c>.</param>
    public bool IsPublicSuffix(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var name = domain.TrimEnd('.').ToLowerInvariant();
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return true;
        }

        return !_exceptions.Contains(name) && (_rules.Contains(name) || _wildcardParents.Contains(name[(dot + 1)..]));
    }

    private static string ToAscii(IdnMapping idn, string name) =>
        name.All(char.IsAscii) ? name.ToLowerInvariant() : idn.GetAscii(name);

    private static PublicSuffixList LoadEmbedded()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
