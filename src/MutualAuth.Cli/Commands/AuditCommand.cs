using System.CommandLine;
using System.Text.Json;
using MutualAuth.Authentication;
using Spectre.Console;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth audit</c>: recent authentication decisions.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var limit = new Option<int>("--limit") { Description = "How many events (1–10000).", DefaultValueFactory = _ => 50, HelpName = "N" };
        var json = GlobalOptions.Json();
        var command = new Command("audit", "Show recent authentication decisions (accept/refuse, method, subject, serial, peer, reason).") { limit, json, SharedStore.Option() };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var count = parseResult.GetValue(limit);
            if (count is < 1 or > 10_000)
            {
                throw CliException.Usage("--limit must be between 1 and 10000.");
            }

            var folder = parseResult.GetValue<string?>("--store") is null ? GlobalOptions.ExistingFolder(parseResult) : GlobalOptions.Folder(parseResult);
            await using var shared = await SharedStore.OpenAsync(parseResult, folder, cancellationToken);
            var store = shared.Audit(null);
            var events = await store.ListRecentAsync(count, cancellationToken);
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(events, CliJson.Context.IReadOnlyListAuditEvent));
                return ExitCodes.Success;
            }

            var table = Tables.Create("Time (UTC)", "Decision", "Method", "Subject", "Serial", "Peer", "Reason");
            foreach (var e in events)
            {
                table.AddRow(
                    e.Time.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                    e.Decision == AuditDecision.Accept ? "[green]accept[/]" : "[red]refuse[/]",
                    Tables.Cell(e.Method),
                    Tables.Cell(e.Subject),
                    Tables.Cell(e.CredentialId),
                    Tables.Cell(e.PeerAddress),
                    Tables.Cell(e.Decision == AuditDecision.Accept && e.Detail is { } amr ? $"{e.ReasonCode} ({amr})" : e.ReasonCode));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
