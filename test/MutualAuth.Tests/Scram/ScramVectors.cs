namespace MutualAuth.Tests.Scram;

/// <summary>The blocks of testdata/scram/vectors.txt (RFC 5802 §5, RFC 7677 §3 and agreed SHA-512 / -PLUS values).</summary>
internal static class ScramVectors
{
    public static IReadOnlyList<Dictionary<string, string>> All { get; } = Load();

    public static TheoryData<string> Mechanisms()
    {
        var data = new TheoryData<string>();
        foreach (var block in All)
        {
            data.Add(block["mechanism"]);
        }

        return data;
    }

    public static Dictionary<string, string> For(string mechanism) => All.Single(b => b["mechanism"] == mechanism);

    private static List<Dictionary<string, string>> Load()
    {
        var blocks = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "testdata", "scram", "vectors.txt")))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.Trim().Length == 0)
            {
                current = null;
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            current ??= [];
            if (current.Count == 0)
            {
                blocks.Add(current);
            }

            current[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        // The -PLUS vector reuses the SCRAM-SHA-256 vector's server-first message.
        var sha256 = blocks.Single(b => b["mechanism"] == "SCRAM-SHA-256");
        foreach (var block in blocks.Where(b => !b.ContainsKey("server-first")))
        {
            block["server-first"] = sha256["server-first"];
        }

        return blocks;
    }
}
