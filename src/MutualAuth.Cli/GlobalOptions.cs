using System.CommandLine;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli;

/// <summary>Options shared by every command.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Data folder (default: $MUTUALAUTH_HOME, else ./.mutualauth).",
        Recursive = true,
        HelpName = "DIR",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of a table." };

    public static DataFolder Folder(ParseResult parseResult)
    {
        var path = parseResult.GetValue(DataDir);
        return path is not null && string.IsNullOrWhiteSpace(path)
            ? throw CliException.Usage("--data-dir cannot be empty.")
            : DataFolder.Resolve(path);
    }

    /// <summary>The data folder of a command that only reads it: a usage error when it holds no database yet.</summary>
    public static DataFolder ExistingFolder(ParseResult parseResult)
    {
        var folder = Folder(parseResult);
        return File.Exists(folder.DatabasePath)
            ? folder
            : throw CliException.Usage($"no MutualAuth data folder at '{folder.Root}' (run 'mutualauth ca init' or 'mutualauth serve' first, or pass --data-dir).");
    }
}
