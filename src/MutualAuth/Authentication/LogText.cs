using System.Globalization;
using System.Text;

namespace MutualAuth.Authentication;

/// <summary>
/// Makes peer-controlled text (certificate subjects, SANs, reasons that quote them) safe for one-line
/// logs: control characters, including CR and LF, become <c>\uXXXX</c>, so a peer cannot forge log lines.
/// </summary>
internal static class LogText
{
    /// <summary>The text with control characters escaped; <c>-</c> for null.</summary>
    public static string Escape(string? text)
    {
        if (text is null)
        {
            return "-";
        }

        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
