namespace MutualAuth.Limbo;

/// <summary>The testcases we deliberately disagree with, read from <c>exceptions.txt</c>.</summary>
public static class LimboExceptions
{
    public static IReadOnlyDictionary<string, string> Load(string path) =>
        File.ReadLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split((char[])[' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1].Trim() : "");
}
