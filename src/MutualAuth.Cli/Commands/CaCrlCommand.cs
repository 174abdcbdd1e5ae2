using System.CommandLine;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth ca crl</c>.</summary>
internal static class CaCrlCommand
{
    public static Command Create()
    {
        var command = new Command("crl", "Sign a fresh CRL from the current revocations and write it to DATA/ca/crl.pem.");
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var ca = await CertificateAuthorities.OpenInitializedAsync(GlobalOptions.Folder(parseResult), parseResult, cancellationToken);
            var crl = await ca.WriteCrlAsync(cancellationToken);
            Console.WriteLine($"CRL #{crl.CrlNumber} with {crl.Entries.Count} revoked certificate(s), next update {crl.NextUpdate:u}: {ca.Folder.CrlPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
