using System.CommandLine;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth ca crl</c>.</summary>
internal static class CaCrlCommand
{
    public static Command Create()
    {
        var command = new Command("crl", "Sign a fresh CRL from the current revocations and write it to DATA/ca/crl.pem (with --store: from the shared revocations, and shared with every node).") { SharedStore.Option() };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            await using var opened = await CertificateAuthorities.OpenInitializedAsync(parseResult, GlobalOptions.Folder(parseResult), cancellationToken);
            var ca = opened.Ca;
            var crl = await ca.WriteCrlAsync(cancellationToken);
            Console.WriteLine($"CRL #{crl.CrlNumber} with {crl.Entries.Count} revoked certificate(s), next update {crl.NextUpdate:u}: {ca.Folder.CrlPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
