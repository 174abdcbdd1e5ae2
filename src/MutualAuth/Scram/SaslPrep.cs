using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace MutualAuth.Scram;

/// <summary>
/// SASLprep (RFC 4013), the stringprep (RFC 3454) profile SCRAM applies to user names and passwords
/// (RFC 5802 §2.2), for stored strings: unassigned code points are refused (RFC 3454 §7), as PostgreSQL does.
/// It works on code points, with RFC 3454's Unicode 3.2 tables and its own NFKC data (see <see cref="Nfkc"/>),
/// so the result does not depend on the host's Unicode version or globalization mode.
/// </summary>
/// <remarks>
/// PostgreSQL checks prohibited and bidirectional characters before normalisation; this class follows RFC 3454 §2
/// and checks the normalised output. They differ only for rare characters (U+0340 and U+0341, which normalise to
/// allowed combining marks, and compatibility characters whose normal form changes bidirectional category, such as
/// U+2135 ALEF SYMBOL → U+05D0).
/// </remarks>
internal static class SaslPrep
{
    /// <summary>Prepares <paramref name="input"/>, or says why it cannot be prepared.</summary>
    /// <param name="input">The string to prepare.</param>
    /// <param name="prepared">The prepared string, or <see langword="null"/> on failure.</param>
    /// <param name="failure">Why preparation failed (it never quotes the input, which may be a password), or <see langword="null"/> on success.</param>
    /// <returns>Whether <paramref name="input"/> is a valid SASLprep stored string.</returns>
    public static bool TryPrepare(string input, [NotNullWhen(true)] out string? prepared, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(input);
        prepared = null;
        if (!TryMap(input, out var mapped, out failure))
        {
            return false;
        }

        var normalized = Nfkc.Normalize(mapped);
        failure = normalized.Count == 0 ? "the string is empty after mapping (RFC 4013 §2.1)"
            : Prohibited(normalized) ?? Bidirectional(normalized);
        if (failure is not null)
        {
            return false;
        }

        var builder = new StringBuilder(normalized.Count);
        foreach (var codePoint in normalized)
        {
            builder.Append(char.ConvertFromUtf32(codePoint));
        }

        prepared = builder.ToString();
        return true;
    }

    /// <summary>Prepares <paramref name="input"/>.</summary>
    /// <param name="input">The string to prepare.</param>
    /// <returns>The prepared string.</returns>
    /// <exception cref="ScramException"><see cref="ScramError.UnsupportedCharacters"/>: the string cannot be prepared.</exception>
    public static string Prepare(string input) =>
        TryPrepare(input, out var prepared, out var failure)
            ? prepared
            : throw new ScramException(ScramError.UnsupportedCharacters, $"SASLprep (RFC 4013) refuses the string: {failure}.");

    /// <summary>RFC 4013 §2.1: non-ASCII spaces (C.1.2) become U+0020, B.1 characters are removed. Unassigned code points
    /// (A.1) are refused here, before normalisation, which leaves them unchanged in Unicode 3.2 (RFC 4013 §2.5).</summary>
    private static bool TryMap(string input, out List<int> mapped, out string? failure)
    {
        mapped = new List<int>(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            int codePoint = input[i];
            if (char.IsHighSurrogate(input[i]) && i + 1 < input.Length && char.IsLowSurrogate(input[i + 1]))
            {
                codePoint = char.ConvertToUtf32(input[i], input[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(input[i]))
            {
                failure = "a lone surrogate is not a character";
                return false;
            }

            if (CodePointRanges.Contains(SaslPrepTables.Unassigned, codePoint))
            {
                failure = "a code point is unassigned in Unicode 3.2 (RFC 3454 table A.1)";
                return false;
            }

            if (CodePointRanges.Contains(SaslPrepTables.MapToSpace, codePoint))
            {
                mapped.Add(' ');
            }
            else if (!CodePointRanges.Contains(SaslPrepTables.MapToNothing, codePoint))
            {
                mapped.Add(codePoint);
            }
        }

        failure = null;
        return true;
    }

    /// <summary>RFC 4013 §2.3 (tables C.1.2, C.2.1, C.2.2, C.3–C.9) and §2.5 (A.1) on the normalised string.</summary>
    private static string? Prohibited(List<int> codePoints)
    {
        foreach (var codePoint in codePoints)
        {
            if (CodePointRanges.Contains(SaslPrepTables.Prohibited, codePoint))
            {
                return "a character is prohibited (RFC 3454 tables C.1.2–C.9)";
            }

            if (CodePointRanges.Contains(SaslPrepTables.Unassigned, codePoint))
            {
                return "a code point is unassigned in Unicode 3.2 (RFC 3454 table A.1)";
            }
        }

        return null;
    }

    /// <summary>RFC 4013 §2.4, RFC 3454 §6: a string with a RandALCat character (D.1) has no LCat character (D.2) and
    /// starts and ends with a RandALCat character.</summary>
    private static string? Bidirectional(List<int> codePoints)
    {
        if (!codePoints.Exists(c => CodePointRanges.Contains(SaslPrepTables.RandALCat, c)))
        {
            return null;
        }

        if (codePoints.Exists(c => CodePointRanges.Contains(SaslPrepTables.LCat, c)))
        {
            return "right-to-left and left-to-right characters are mixed (RFC 3454 §6)";
        }

        return CodePointRanges.Contains(SaslPrepTables.RandALCat, codePoints[0]) && CodePointRanges.Contains(SaslPrepTables.RandALCat, codePoints[^1])
            ? null
            : "a string with right-to-left characters must start and end with one (RFC 3454 §6)";
    }
}
