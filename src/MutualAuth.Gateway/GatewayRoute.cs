using MutualAuth.Authentication;

namespace MutualAuth.Gateway;

/// <summary>
/// Which methods a path prefix accepts: alternatives separated by <c>,</c>, each a set joined by <c>+</c> that must all
/// succeed (<c>/api=scram,mtls</c>, <c>/admin=mtls+scram</c>, <c>/health=none</c>); the longest matching prefix applies.
/// </summary>
public sealed record GatewayRoute
{
    /// <summary>The route "method" <c>none</c>: every request passes without authentication or identity; it must stand alone.</summary>
    // No identity: nothing is forwarded upstream as identity (client-sent identity headers are still stripped) and
    // /whoami has nothing to show.
    public const string NoAuthentication = "none";

    /// <summary>The methods a route can name.</summary>
    internal static readonly IReadOnlyList<string> Methods = [AuthenticationMethods.MutualTls, AuthenticationMethods.Scram, AuthenticationMethods.HttpSignature, AuthenticationMethods.Token, AuthenticationMethods.WebAuthn, NoAuthentication];

    /// <summary>
    /// Requirements a method of a route can carry after a colon, the <c>amr</c> value the method's identity must have:
    /// <c>mtls:hwk</c> accepts only client certificates whose key is on a token (our CA's hardware-key policy).
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string[]> AmrRequirements = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [AuthenticationMethods.MutualTls] = [AuthenticationMethods.AmrHardwareKey],
    };

    /// <summary>
    /// The one relaxation a route can write after a colon: <c>token:bearer</c> also accepts unbound bearer tokens (RFC 6750);
    /// tokens bound to a key or a certificate keep their binding there (a DPoP-bound token sent as Bearer is still refused).
    /// </summary>
    internal const string BearerTokens = "bearer";

    /// <summary>The default route: everything needs mutual TLS.</summary>
    internal static readonly GatewayRoute Default = new("/", [[AuthenticationMethods.MutualTls]]);

    /// <summary>Creates a route.</summary>
    /// <param name="pathPrefix">A path starting with <c>/</c>; matches itself and anything below it.</param>
    /// <param name="alternatives">Sets of methods; a request is accepted when all methods of one set succeed.</param>
    public GatewayRoute(string pathPrefix, IReadOnlyList<IReadOnlyList<string>> alternatives)
    {
        ArgumentNullException.ThrowIfNull(pathPrefix);
        ArgumentNullException.ThrowIfNull(alternatives);
        PathPrefix = pathPrefix.Length > 1 ? pathPrefix.TrimEnd('/') : pathPrefix;
        Alternatives = alternatives;
    }

    /// <summary>The path prefix (no trailing slash except for <c>/</c>).</summary>
    public string PathPrefix { get; }

    /// <summary>The accepted sets of methods.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Alternatives { get; }

    /// <summary>Per alternative (same order), the <c>amr</c> values its identity must carry (<c>mtls:hwk</c>); empty for none.</summary>
    internal IReadOnlyList<IReadOnlyList<string>> RequiredAmr { get; init; } = [];

    /// <summary>Whether the route's <c>token</c> method accepts unbound bearer tokens (<c>token:bearer</c>).</summary>
    internal bool AllowsBearerTokens { get; init; }

    /// <summary>The <c>amr</c> values alternative <paramref name="index"/> requires.</summary>
    internal IReadOnlyList<string> RequiredAmrOf(int index) => index < RequiredAmr.Count ? RequiredAmr[index] : [];

    /// <summary>Whether any alternative uses <paramref name="method"/>.</summary>
    internal bool Uses(string method) => Alternatives.Any(a => a.Contains(method));

    /// <summary>Whether the route accepts requests without authentication (<c>PATH=none</c>).</summary>
    internal bool IsAnonymous => Uses(NoAuthentication);

    /// <summary>Parses <c>PREFIX=METHODS</c>, e.g. <c>/api=scram,mtls</c>.</summary>
    /// <exception cref="FormatException">Not of that form, an unknown method, or <c>none</c> beside another method.</exception>
    public static GatewayRoute Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var prefix = equals > 0 ? text[..equals] : "";
        if (!prefix.StartsWith('/') || prefix.Length > 1024 || prefix.Any(c => char.IsControl(c) || c is '?' or '#' or ' '))
        {
            throw new FormatException($"Route '{text}' must be PATH=METHODS with PATH starting with '/', e.g. /api=scram,mtls.");
        }

        var tokens = text[(equals + 1)..].Split(',').Select(a => a.Split('+').Select(m => m.Trim().ToLowerInvariant()).Distinct().ToList()).ToList();
        const string bearer = AuthenticationMethods.Token + ":" + BearerTokens;
        var allowsBearer = tokens.Any(a => a.Contains(bearer));
        if (allowsBearer && tokens.Any(a => a.Contains(AuthenticationMethods.Token)))
        {
            throw new FormatException($"Route '{text}': write '{bearer}' or '{AuthenticationMethods.Token}', not both (bearer tokens are accepted by the route's token method or not at all).");
        }

        var requiredAmr = tokens.Select(a => (IReadOnlyList<string>)[.. a.Where(m => m.Contains(':', StringComparison.Ordinal) && m != bearer).Select(m => Requirement(text, m))]).ToList();
        var alternatives = tokens.Select(a => (IReadOnlyList<string>)[.. a.Select(m => m.Split(':')[0]).Distinct()]).ToList();
        if (alternatives.SelectMany(a => a).FirstOrDefault(m => !Methods.Contains(m)) is { } unknown)
        {
            throw new FormatException($"Route '{text}': unknown method '{unknown}' (known: {string.Join(", ", Methods)}; ',' separates alternatives, '+' joins methods that must all succeed).");
        }

        // "none+mtls" would read as "no authentication and a certificate", "none,mtls" would let a failed proof fall through
        // to anonymous access: neither means anything clear, so 'none' stands alone.
        if (alternatives.SelectMany(a => a).Contains(NoAuthentication) && alternatives.Sum(a => a.Count) > 1)
        {
            throw new FormatException($"Route '{text}': '{NoAuthentication}' (no authentication) must stand alone, as in {prefix}={NoAuthentication}; it cannot be joined with '+' or listed with ',' beside other methods.");
        }

        return new GatewayRoute(prefix, alternatives) { RequiredAmr = requiredAmr, AllowsBearerTokens = allowsBearer };
    }

    /// <summary>The amr value of <c>METHOD:AMR</c>, refused unless that method can carry that requirement.</summary>
    private static string Requirement(string text, string token)
    {
        var parts = token.Split(':');
        return parts.Length == 2 && AmrRequirements.TryGetValue(parts[0], out var allowed) && allowed.Contains(parts[1], StringComparer.Ordinal)
            ? parts[1]
            : throw new FormatException($"Route '{text}': '{token}' is not a known requirement (known: {string.Join(", ", AmrRequirements.SelectMany(r => r.Value.Select(v => r.Key + ":" + v)))}, {AuthenticationMethods.Token}:{BearerTokens}).");
    }

    /// <summary>The route for <paramref name="path"/>: the longest prefix matching whole segments of its <see cref="MatchingPath"/>, ignoring case, else <see cref="Default"/>.</summary>
    // Ignoring case, so a case-insensitive upstream cannot be reached around a rule; on the form upstreams commonly
    // resolve the path to, so //admin, /admin;x or /admin. meet the rule for /admin.
    internal static GatewayRoute Select(IEnumerable<GatewayRoute> routes, string path)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var matching = MatchingPath(path);
        return routes
            .Where(r => r.PathPrefix == "/" || string.Equals(matching, r.PathPrefix, StringComparison.OrdinalIgnoreCase) || matching.StartsWith(r.PathPrefix + "/", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(r => r.PathPrefix.Length)
            .FirstOrDefault() ?? Default;
    }

    /// <summary>
    /// The path used to choose a route: empty segments dropped (<c>//a</c> → <c>/a</c>: proxies and servers merge
    /// slashes), and each segment cut at <c>;</c> (path parameters) and stripped of trailing dots and spaces.
    /// </summary>
    internal static string MatchingPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/')
            .Select(s => s.Split(';')[0].TrimEnd('.', ' '))
            .Where(s => s.Length > 0);
        return "/" + string.Join('/', segments);
    }

    /// <inheritdoc />
    public override string ToString() => $"{PathPrefix}={string.Join(",", Alternatives.Select((a, i) => string.Join("+", a.Select(m => m + Suffix(m, RequiredAmrOf(i))))))}";

    /// <summary>The <c>:amr</c> requirements of <paramref name="method"/> among <paramref name="required"/>, as written in a route.</summary>
    private string Suffix(string method, IReadOnlyList<string> required) =>
        string.Concat(required.Where(r => AmrRequirements.TryGetValue(method, out var allowed) && allowed.Contains(r)).Select(r => ":" + r))
        + (AllowsBearerTokens && method == AuthenticationMethods.Token ? ":" + BearerTokens : "");
}
