using System.CommandLine;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth ca …</c>: the certificate authority in the data folder.</summary>
internal static class CaCommand
{
    public static Command Create()
    {
        var ca = new Command("ca", "Manage the certificate authority kept in the data folder (root + intermediate, issued certificates, CRL).");
        ca.Options.Add(CaTokenKeys.PinFile);
        ca.Options.Add(CaTokenKeys.PinEnv);
        ca.Subcommands.Add(CaInitCommand.Create());
        ca.Subcommands.Add(CaIssueCommand.Create());
        ca.Subcommands.Add(CaSignCommand.Create());
        ca.Subcommands.Add(CaRenewCommand.Create());
        ca.Subcommands.Add(CaRevokeCommand.Create());
        ca.Subcommands.Add(CaCrlCommand.Create());
        ca.Subcommands.Add(CaListCommand.Create());
        ca.Subcommands.Add(CaInspectCommand.Create());
        ca.Subcommands.Add(CaExportCommand.Create());
        return ca;
    }
}
