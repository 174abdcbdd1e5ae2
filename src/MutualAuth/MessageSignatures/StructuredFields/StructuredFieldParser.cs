using System.Globalization;
using System.Text;

namespace MutualAuth.MessageSignatures.StructuredFields;

/// <summary>
/// Parses Structured Field values (RFC 9651 §4.2, which obsoletes RFC 8941), including Dates and Display Strings.
/// Several field lines of one field are combined with <c>", "</c> first (§4.2). Input is bounded by a length limit.
/// </summary>
internal static class StructuredFieldParser
{
    /// <summary>The default limit on a field value's length, in characters (64 KiB).</summary>
    public const int DefaultMaxLength = 64 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Parses an Item field (§4.2.3).</summary>
    /// <param name="fieldValue">The field value.</param>
    /// <param name="maxLength">The longest value accepted, in characters.</param>
    /// <exception cref="StructuredFieldException">Not a valid Item, or longer than <paramref name="maxLength"/>.</exception>
    public static SfItem ParseItem(string fieldValue, int maxLength = DefaultMaxLength) =>
        Parse(fieldValue, maxLength, static (ref Reader r) => r.ParseItem());

    /// <summary>Parses a List field (§4.2.1); an empty value is an empty list.</summary>
    /// <param name="fieldValue">The field value.</param>
    /// <param name="maxLength">The longest value accepted, in characters.</param>
    /// <exception cref="StructuredFieldException">Not a valid List, or longer than <paramref name="maxLength"/>.</exception>
    public static IReadOnlyList<SfMember> ParseList(string fieldValue, int maxLength = DefaultMaxLength) =>
        Parse<IReadOnlyList<SfMember>>(fieldValue, maxLength, static (ref Reader r) => r.ParseList());

    /// <summary>Parses a Dictionary field (§4.2.2); an empty value is an empty dictionary.</summary>
    /// <param name="fieldValue">The field value.</param>
    /// <param name="maxLength">The longest value accepted, in characters.</param>
    /// <exception cref="StructuredFieldException">Not a valid Dictionary, or longer than <paramref name="maxLength"/>.</exception>
    public static SfDictionary ParseDictionary(string fieldValue, int maxLength = DefaultMaxLength) =>
        Parse(fieldValue, maxLength, static (ref Reader r) => r.ParseDictionary());

    /// <summary>Parses a Dictionary field keeping every member as written, repeated keys included (for callers that refuse them).</summary>
    /// <exception cref="StructuredFieldException">Not a valid Dictionary, or longer than <paramref name="maxLength"/>.</exception>
    internal static IReadOnlyList<KeyValuePair<string, SfMember>> ParseDictionaryMembers(string fieldValue, int maxLength = DefaultMaxLength) =>
        Parse<IReadOnlyList<KeyValuePair<string, SfMember>>>(fieldValue, maxLength, static (ref Reader r) => r.ParseDictionaryMembers());

    /// <summary>Combines several field lines of one field as HTTP does (joined with <c>", "</c>).</summary>
    /// <exception cref="StructuredFieldException">The combined value is longer than <paramref name="maxLength"/>.</exception>
    public static string Combine(IEnumerable<string> fieldLines, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(fieldLines);
        var builder = new StringBuilder();
        foreach (var line in fieldLines)
        {
            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            builder.Append(line);
            if (builder.Length > maxLength)
            {
                throw new StructuredFieldException(StructuredFieldError.TooLong, $"The field value is longer than {maxLength} characters.");
            }
        }

        return builder.ToString();
    }

    private delegate T ParseStep<T>(ref Reader reader);

    private static T Parse<T>(string fieldValue, int maxLength, ParseStep<T> step)
    {
        ArgumentNullException.ThrowIfNull(fieldValue);
        if (fieldValue.Length > maxLength)
        {
            throw new StructuredFieldException(StructuredFieldError.TooLong, $"The field value is longer than {maxLength} characters.");
        }

        foreach (var c in fieldValue)
        {
            if (c > 0x7F)
            {
                throw new StructuredFieldException(StructuredFieldError.NotAscii, "The field value is not US-ASCII.");
            }
        }

        var reader = new Reader(fieldValue);
        reader.SkipSpaces();
        var result = step(ref reader);
        reader.SkipSpaces();
        if (!reader.AtEnd)
        {
            reader.Fail(StructuredFieldError.Syntax, "unexpected characters after the value");
        }

        return result;
    }

    private ref struct Reader(string text)
    {
        private readonly string _text = text;
        private int _at;

        public readonly bool AtEnd => _at >= _text.Length;

        private readonly char Peek => _at < _text.Length ? _text[_at] : '\0';

        public void SkipSpaces()
        {
            while (!AtEnd && _text[_at] == ' ')
            {
                _at++;
            }
        }

        public readonly void Fail(StructuredFieldError error, string what) =>
            throw new StructuredFieldException(error, $"Invalid structured field at offset {_at}: {what}.");

        public List<SfMember> ParseList()
        {
            var members = new List<SfMember>();
            while (!AtEnd)
            {
                members.Add(ParseItemOrInnerList());
                SkipOptionalWhitespace();
                if (AtEnd)
                {
                    break;
                }

                ExpectComma();
            }

            return members;
        }

        public SfDictionary ParseDictionary() => new(ParseDictionaryMembers());

        public List<KeyValuePair<string, SfMember>> ParseDictionaryMembers()
        {
            var members = new List<KeyValuePair<string, SfMember>>();
            while (!AtEnd)
            {
                var key = ParseKey();
                SfMember member;
                if (Peek == '=')
                {
                    _at++;
                    member = ParseItemOrInnerList();
                }
                else
                {
                    member = new SfItem(SfBareItem.True, ParseParameters());
                }

                members.Add(new(key, member));
                SkipOptionalWhitespace();
                if (AtEnd)
                {
                    break;
                }

                ExpectComma();
            }

            return members;
        }

        public SfItem ParseItem()
        {
            var value = ParseBareItem();
            return new SfItem(value, ParseParameters());
        }

        private void ExpectComma()
        {
            if (Peek != ',')
            {
                Fail(StructuredFieldError.Syntax, "expected ','");
            }

            _at++;
            SkipOptionalWhitespace();
            if (AtEnd)
            {
                Fail(StructuredFieldError.Syntax, "trailing ','");
            }
        }

        private void SkipOptionalWhitespace()
        {
            while (!AtEnd && _text[_at] is ' ' or '\t')
            {
                _at++;
            }
        }

        private SfMember ParseItemOrInnerList() => Peek == '(' ? ParseInnerList() : ParseItem();

        private SfInnerList ParseInnerList()
        {
            _at++;
            var items = new List<SfItem>();
            while (!AtEnd)
            {
                SkipSpaces();
                if (Peek == ')')
                {
                    _at++;
                    return new SfInnerList(items, ParseParameters());
                }

                items.Add(ParseItem());
                if (Peek is not ' ' and not ')')
                {
                    Fail(StructuredFieldError.Syntax, "expected ' ' or ')' in an inner list");
                }
            }

            Fail(StructuredFieldError.Syntax, "unterminated inner list");
            return null!;
        }

        private SfParameters ParseParameters()
        {
            List<KeyValuePair<string, SfBareItem>>? parameters = null;
            while (Peek == ';')
            {
                _at++;
                SkipSpaces();
                var key = ParseKey();
                SfBareItem value = SfBareItem.True;
                if (Peek == '=')
                {
                    _at++;
                    value = ParseBareItem();
                }

                (parameters ??= []).Add(new(key, value));
            }

            return parameters is null ? SfParameters.Empty : new SfParameters(parameters);
        }

        private string ParseKey()
        {
            var start = _at;
            if (Peek is not ((>= 'a' and <= 'z') or '*'))
            {
                Fail(StructuredFieldError.Syntax, "a key starts with a lower-case letter or '*'");
            }

            while (!AtEnd && SfCharacters.IsKeyChar(_text[_at]))
            {
                _at++;
            }

            return _text[start.._at];
        }

        private SfBareItem ParseBareItem()
        {
            var c = Peek;
            return c switch
            {
                '-' or (>= '0' and <= '9') => ParseNumber(),
                '"' => ParseString(),
                '*' or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') => ParseToken(),
                ':' => ParseByteSequence(),
                '?' => ParseBoolean(),
                '@' => ParseDate(),
                '%' => ParseDisplayString(),
                _ => Unexpected(),
            };
        }

        private readonly SfBareItem Unexpected()
        {
            Fail(AtEnd ? StructuredFieldError.Syntax : StructuredFieldError.InvalidCharacter, AtEnd ? "missing value" : $"unexpected '{Peek}'");
            return null!;
        }

        private SfBareItem ParseNumber()
        {
            var negative = false;
            if (Peek == '-')
            {
                negative = true;
                _at++;
            }

            if (Peek is not (>= '0' and <= '9'))
            {
                Fail(StructuredFieldError.Syntax, "a number needs a digit");
            }

            var start = _at;
            var dot = -1;
            while (!AtEnd)
            {
                var c = _text[_at];
                if (c is >= '0' and <= '9')
                {
                    _at++;
                }
                else if (dot < 0 && c == '.')
                {
                    if (_at - start > 12)
                    {
                        Fail(StructuredFieldError.NumberOutOfRange, "a decimal has at most 12 integer digits");
                    }

                    dot = _at;
                    _at++;
                }
                else
                {
                    break;
                }

                if (_at - start > (dot < 0 ? 15 : 16))
                {
                    Fail(StructuredFieldError.NumberOutOfRange, "too many digits");
                }
            }

            var digits = _text.AsSpan(start, _at - start);
            if (dot < 0)
            {
                var value = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
                return new SfInteger(negative ? -value : value);
            }

            var fraction = _at - dot - 1;
            if (fraction == 0 || fraction > 3)
            {
                Fail(StructuredFieldError.Syntax, "a decimal has 1 to 3 fractional digits");
            }

            var number = decimal.Parse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            return new SfDecimal(negative ? -number : number);
        }

        private SfString ParseString()
        {
            _at++;
            var builder = new StringBuilder();
            while (!AtEnd)
            {
                var c = _text[_at++];
                if (c == '\\')
                {
                    if (AtEnd || _text[_at] is not ('"' or '\\'))
                    {
                        Fail(StructuredFieldError.InvalidCharacter, "only '\\\"' and '\\\\' are escapes");
                    }

                    builder.Append(_text[_at++]);
                }
                else if (c == '"')
                {
                    return new SfString(builder.ToString());
                }
                else if (c is < ' ' or > '~')
                {
                    Fail(StructuredFieldError.InvalidCharacter, "a string holds printable ASCII only");
                }
                else
                {
                    builder.Append(c);
                }
            }

            Fail(StructuredFieldError.Syntax, "unterminated string");
            return null!;
        }

        private SfToken ParseToken()
        {
            var start = _at++;
            while (!AtEnd && (SfCharacters.IsTokenChar(_text[_at]) || _text[_at] is ':' or '/'))
            {
                _at++;
            }

            return new SfToken(_text[start.._at]);
        }

        private SfByteSequence ParseByteSequence()
        {
            _at++;
            var end = _text.IndexOf(':', _at);
            if (end < 0)
            {
                Fail(StructuredFieldError.Syntax, "unterminated byte sequence");
            }

            var encoded = _text.AsSpan(_at, end - _at);
            foreach (var c in encoded)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
                {
                    Fail(StructuredFieldError.InvalidBase64, "a byte sequence holds base64 only");
                }
            }

            _at = end + 1;

            // Parsers SHOULD NOT fail when '=' padding is absent or pad bits are non-zero (§4.2.7).
            var body = encoded.TrimEnd('=');
            if (body.Contains('=') || body.Length % 4 == 1)
            {
                Fail(StructuredFieldError.InvalidBase64, "misplaced '=' or truncated base64");
            }

            var padded = string.Concat(body, new string('=', (4 - (body.Length % 4)) % 4));
            var bytes = new byte[padded.Length / 4 * 3];
            if (!Convert.TryFromBase64String(padded, bytes, out var written))
            {
                Fail(StructuredFieldError.InvalidBase64, "invalid base64");
            }

            return new SfByteSequence(bytes.AsMemory(0, written));
        }

        private SfBoolean ParseBoolean()
        {
            _at++;
            var c = Peek;
            if (c is not ('0' or '1'))
            {
                Fail(StructuredFieldError.Syntax, "a boolean is ?0 or ?1");
            }

            _at++;
            return new SfBoolean(c == '1');
        }

        private SfDate ParseDate()
        {
            _at++;
            var number = ParseNumber();
            if (number is not SfInteger integer)
            {
                Fail(StructuredFieldError.Syntax, "a date is an integer");
                return null!;
            }

            return new SfDate(integer.Value);
        }

        private SfDisplayString ParseDisplayString()
        {
            _at++;
            if (Peek != '"')
            {
                Fail(StructuredFieldError.Syntax, "a display string starts with '%\"'");
            }

            _at++;
            var bytes = new List<byte>();
            while (!AtEnd)
            {
                var c = _text[_at++];
                if (c is < ' ' or > '~')
                {
                    Fail(StructuredFieldError.InvalidCharacter, "a display string holds printable ASCII only");
                }

                if (c == '%')
                {
                    if (_at + 2 > _text.Length || !IsLowerHex(_text[_at]) || !IsLowerHex(_text[_at + 1]))
                    {
                        Fail(StructuredFieldError.InvalidCharacter, "'%' is followed by two lower-case hex digits");
                    }

                    bytes.Add(byte.Parse(_text.AsSpan(_at, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    _at += 2;
                }
                else if (c == '"')
                {
                    try
                    {
                        return new SfDisplayString(StrictUtf8.GetString([.. bytes]));
                    }
                    catch (DecoderFallbackException)
                    {
                        Fail(StructuredFieldError.InvalidUtf8, "the display string is not valid UTF-8");
                    }
                }
                else
                {
                    bytes.Add((byte)c);
                }
            }

            Fail(StructuredFieldError.Syntax, "unterminated display string");
            return null!;
        }

        private static bool IsLowerHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f');
    }
}
