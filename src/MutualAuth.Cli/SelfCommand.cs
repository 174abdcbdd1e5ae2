namespace MutualAuth.Cli;

/// <summary>How to run this very command again, for the hints it prints.</summary>
internal static class SelfCommand
{
    /// <summary><c>/path/to/mutualauth</c> when run through its app host, else <c>dotnet /path/to/mutualauth.dll</c>.</summary>
    public static string Prefix { get; } =
        Path.GetFileNameWithoutExtension(Environment.ProcessPath ?? "") == "mutualauth"
            ? Environment.ProcessPath!
            : $"dotnet {Path.Combine(AppContext.BaseDirectory, "mutualauth.dll")}";
}
