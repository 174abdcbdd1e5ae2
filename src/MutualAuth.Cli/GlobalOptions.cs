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

    public static DataFolder Folder(ParseResult parseResult) => DataFolder.Resolve(parseResult.GetValue(DataDir));
}
