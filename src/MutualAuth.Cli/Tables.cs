using Spectre.Console;

namespace MutualAuth.Cli;

/// <summary>Tables for listings: serials never wrap; other cells wrap and are cut at 80 characters.</summary>
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
            var tableColumn = new TableColumn(column);
            table.AddColumn(column == "Serial" ? tableColumn.NoWrap() : tableColumn);
        }

        return table;
    }

    /// <summary>A cell for peer- or user-supplied text: control characters escaped, markup escaped, at most 80 characters.</summary>
    public static string Cell(string? text)
    {
        var escaped = MutualAuth.Authentication.LogText.Escape(text ?? "");
        return Markup.Escape(escaped.Length > 80 ? escaped[..79] + "…" : escaped);
    }
}
