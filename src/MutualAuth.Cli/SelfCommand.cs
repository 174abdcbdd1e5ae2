using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli;

/// <summary>How to run this very command again, for the hints it prints.</summary>
internal static class SelfCommand
{
    /// <summary><c>/path/to/mutualauth</c> when run through its app host, else <c>dotnet /path/to/mutualauth.dll</c>.</summary>
    public static string Prefix { get; } =
        Path.GetFileNameWithoutExtension(Environment.ProcessPath ?? "") == "mutualauth"
            ? Environment.ProcessPath!
            : $"dotnet {Path.Combine(AppContext.BaseDirectory, "mutualauth.dll")}";

    /// <summary><c> --data-dir /absolute/folder</c> for a printed command, which may be pasted in another directory.</summary>
    public static string DataDirFlag(DataFolder folder) => $" --data-dir {folder.Root}";
}
