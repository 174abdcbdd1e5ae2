using System.Globalization;
using System.Text;

namespace MutualAuth.Tests.Scram;

/// <summary>Test data text with <c>\uXXXX</c>, <c>\UXXXXXXXX</c> and <c>\xXX</c> escapes.</summary>
internal static class EscapedText
{
    public static string Unescape(string text)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var digits = text[i] == '\\' && i + 1 < text.Length ? text[i + 1] switch { 'u' => 4, 'U' => 8, 'x' => 2, _ => 0 } : 0;
            if (digits == 0)
            {
                builder.Append(text[i]);
                continue;
            }

            builder.Append(char.ConvertFromUtf32(int.Parse(text.AsSpan(i + 2, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            i += 1 + digits;
        }

        return builder.ToString();
    }

    public static string FromCodePoints(string hex) =>
        string.Concat(hex.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => char.ConvertFromUtf32(int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))));
}
