using Microsoft.Extensions.Configuration;

namespace MutualAuth.Cli.Settings;

/// <summary>Refuses keys no section knows, naming each, so a misspelt setting is never silently ignored.</summary>
internal static class SettingsKeyCheck
{
    public static void RequireKnownKeys(SettingsLayer layer)
    {
        var problems = new List<string>();
        foreach (var (path, _) in layer.Configuration.AsEnumerable())
        {
            if (Problem(path) is { } problem)
            {
                problems.Add($"{layer.Describe(path)}: {problem}");
            }
        }

        if (problems.Count > 0)
        {
            throw CliException.Usage(string.Join("\n  ", problems.Distinct(StringComparer.Ordinal)));
        }
    }

    private static string? Problem(string path)
    {
        var parts = path.Split(':');
        var section = SettingsSection.All.FirstOrDefault(s => string.Equals(s.Name, parts[0], StringComparison.OrdinalIgnoreCase));
        if (section is null)
        {
            return $"unknown setting '{parts[0]}' (sections: {string.Join(", ", SettingsSection.All.Select(s => s.Name))})";
        }

        if (parts.Length == 1)
        {
            return null;
        }

        if (section.Find(parts[1]) is not { } key)
        {
            var suggestion = section.Keys.Select(k => k.Name).FirstOrDefault(k => Distance(k, parts[1]) <= 2);
            return $"unknown setting '{parts[0]}:{parts[1]}'" + (suggestion is null ? "" : $" (did you mean '{section.Name}:{suggestion}'?)");
        }

        return parts.Length switch
        {
            2 => null,
            3 when key.Kind == SettingKind.List && int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _) => null,
            3 when key.Kind == SettingKind.List => $"unknown setting '{path}' (a list's items are numbered 0, 1…)",
            _ when parts.Length == 3 => $"unknown setting '{path}' ('{parts[0]}:{parts[1]}' takes one value, not a list or object)",
            _ => $"unknown setting '{path}'",
        };
    }

    /// <summary>Edit distance, ignoring case, for "did you mean".</summary>
    private static int Distance(string a, string b)
    {
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
