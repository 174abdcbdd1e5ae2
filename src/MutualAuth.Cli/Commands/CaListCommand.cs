using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth ca list</c>.</summary>
internal static class CaListCommand
{
    public static Command Create()
    {
        var json = GlobalOptions.Json();
        var command = new Command("list", "List issued certificates: serial, name, subject, SANs, profile, expiry, status.") { json, SharedStore.Option() };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            await using var opened = await CertificateAuthorities.OpenInitializedAsync(parseResult, GlobalOptions.Folder(parseResult), cancellationToken);
            var ca = opened.Ca;
            var now = DateTimeOffset.UtcNow;
            var rows = await ca.Store.ListIssuedAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                var items = rows.Select(r => new CertificateListItem(r.SerialNumber, r.Name, r.Subject, r.SubjectAlternativeNames, r.Profile, r.NotBefore, r.NotAfter, r.StatusAt(now), r.RevokedAt));
                Console.WriteLine(JsonSerializer.Serialize(items, CliJson.Context.IEnumerableCertificateListItem));
                return ExitCodes.Success;
            }

            var table = Tables.Create("Serial", "Name", "Subject", "SANs", "Profile", "Expires (UTC)", "Status");
            foreach (var r in rows)
            {
                var status = r.StatusAt(now);
                table.AddRow(
                    Tables.Cell(r.SerialNumber),
                    Tables.Cell(r.Name),
                    Tables.Cell(r.Subject),
                    string.Join("\n", r.SubjectAlternativeNames.Select(Tables.Cell)),
                    r.Profile,
                    r.NotAfter.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                    status == "valid" ? "[green]valid[/]" : $"[red]{status}[/]");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>One row of <c>ca list --json</c>.</summary>
internal sealed record CertificateListItem(string Serial, string Name, string Subject, IReadOnlyList<string> Sans, string Profile,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Status, DateTimeOffset? RevokedAt);
