using MutualAuth.MessageSignatures;

namespace MutualAuth.Tests.MessageSignatures;

/// <summary>The Appendix B example messages (testdata/http-message-signatures/*.http) as message components (scheme https).</summary>
internal static class RfcMessages
{
    public static HttpMessageComponents Request() => Load("test-request.http", null);

    public static HttpMessageComponents Response() => Load("test-response.http", Request());

    /// <summary>The message a vector names: request, response, or a .http file name without extension.</summary>
    public static HttpMessageComponents For(string message) => message switch
    {
        "request" => Request(),
        "response" => Response(),
        _ => Load(message + ".http", null),
    };

    public static HttpMessageComponents Parse(string text, HttpMessageComponents? request = null)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1).TakeWhile(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            fields.Add(new(line[..colon], line[(colon + 1)..]));
        }

        var start = lines[0].Split(' ');
        if (start[0].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            return HttpMessageComponents.ForResponse(int.Parse(start[1], System.Globalization.CultureInfo.InvariantCulture), fields, request);
        }

        var host = fields.Single(f => f.Key.Equals("host", StringComparison.OrdinalIgnoreCase)).Value.Trim();
        return HttpMessageComponents.ForRequest(start[0], new Uri("https://" + host + start[1]), fields);
    }

    /// <summary>The body of a .http file (after the empty line).</summary>
    public static byte[] Body(string file)
    {
        var text = RfcVectors.Read(file).ReplaceLineEndings("\n");
        return System.Text.Encoding.UTF8.GetBytes(text[(text.IndexOf("\n\n", StringComparison.Ordinal) + 2)..]);
    }

    private static HttpMessageComponents Load(string file, HttpMessageComponents? request) => Parse(RfcVectors.Read(file), request);
}
