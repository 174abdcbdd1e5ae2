using Spectre.Console;

namespace MutualAuth.Cli;

/// <summary>Tables for listings; wide enough not to wrap serials when output goes to a file or pipe.</summary>
internal static class Tables
{
    public static Table Create(params string[] columns)
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = 250;
        }

        var table = new Table();
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        return table;
    }
}
