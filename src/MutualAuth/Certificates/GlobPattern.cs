namespace MutualAuth.Certificates;

/// <summary>
/// A glob of an allow-rule: <c>*</c> matches within one label or path segment (at least one character when it is the
/// whole label or segment), <c>**</c> matches anything, <c>?</c> one character other than the separator.
/// </summary>
public sealed class GlobPattern
{
    /// <summary>The longest pattern accepted, in characters.</summary>
    public const int MaxLength = 255;

    private readonly Token[] _tokens;
    private readonly char? _separator;
    private readonly bool _ignoreCase;

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    /// <param name="pattern">The glob, e.g. <c>*.example.org</c> or <c>spiffe://example.org/ns/*/sa/*</c>.</param>
    /// <param name="separator">The character <c>*</c> does not cross (<c>'.'</c> for DNS, <c>'/'</c> for URIs), or <see langword="null"/>.</param>
    /// <param name="ignoreCase">Whether matching ignores ASCII case (DNS names).</param>
    /// <exception cref="ArgumentException">The pattern is empty or longer than <see cref="MaxLength"/>.</exception>
    public GlobPattern(string pattern, char? separator, bool ignoreCase)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        if (pattern.Length > MaxLength)
        {
            throw new ArgumentException($"A pattern has at most {MaxLength} characters.", nameof(pattern));
        }

        Pattern = pattern;
        _separator = separator;
        _ignoreCase = ignoreCase;
        _tokens = Compile(pattern, separator);
    }

    private enum Kind
    {
        Literal,
        One,
        Star,
        AnyStar,
    }

    /// <summary>The glob as written.</summary>
    public string Pattern { get; }

    /// <summary>Whether <paramref name="value"/> matches the whole pattern.</summary>
    public bool IsMatch(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // A state-set simulation, not backtracking: time linear in the value times the pattern and constant memory per
        // pattern, whatever a peer puts in its certificate.
        var states = new bool[_tokens.Length + 1];
        var next = new bool[_tokens.Length + 1];
        states[0] = true;
        Close(states);
        foreach (var c in value)
        {
            Array.Clear(next);
            var any = false;
            for (var i = 0; i < _tokens.Length; i++)
            {
                if (!states[i])
                {
                    continue;
                }

                var token = _tokens[i];
                var target = token.Kind switch
                {
                    Kind.Literal when Equal(token.Char, c) => i + 1,
                    Kind.One when c != _separator => i + 1,
                    Kind.Star when c != _separator => i,
                    Kind.AnyStar => i,
                    _ => -1,
                };
                if (target >= 0)
                {
                    next[target] = any = true;
                }
            }

            if (!any)
            {
                return false;
            }

            Close(next);
            (states, next) = (next, states);
        }

        return states[_tokens.Length];
    }

    /// <inheritdoc />
    public override string ToString() => Pattern;

    private void Close(bool[] states)
    {
        for (var i = 0; i < _tokens.Length; i++)
        {
            if (states[i] && _tokens[i].Kind is Kind.Star or Kind.AnyStar)
            {
                states[i + 1] = true;
            }
        }
    }

    private bool Equal(char a, char b) => a == b || (_ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));

    private static Token[] Compile(string pattern, char? separator)
    {
        var tokens = new List<Token>(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    tokens.Add(new Token(Kind.AnyStar, '\0'));
                    i++;
                    break;
                case '*':
                    var wholeSegment = (i == 0 || pattern[i - 1] == separator) && (i + 1 == pattern.Length || pattern[i + 1] == separator);
                    if (wholeSegment)
                    {
                        tokens.Add(new Token(Kind.One, '\0'));
                    }

                    tokens.Add(new Token(Kind.Star, '\0'));
                    break;
                case '?':
                    tokens.Add(new Token(Kind.One, '\0'));
                    break;
                default:
                    tokens.Add(new Token(Kind.Literal, pattern[i]));
                    break;
            }
        }

        return [.. tokens];
    }

    private readonly record struct Token(Kind Kind, char Char);
}
