using System.CommandLine;
using MutualAuth.Certificates;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth ca init</c>.</summary>
internal static class CaInitCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Name used in the CA subjects.", DefaultValueFactory = _ => "MutualAuth", HelpName = "NAME" };
        var key = new Option<string>("--key") { Description = "Key type of the CA and of issued keys: p256, p384 or rsa3072.", DefaultValueFactory = _ => "p256", HelpName = "TYPE" };
        key.AcceptOnlyFromAmong([.. KeyAlgorithmNames.All]);
        var command = new Command("init", "Create a root CA and an intermediate CA in the data folder (keys are owner-only files).") { name, key };
        command.SetRunner(parseResult =>
        {
            if (!KeyAlgorithmNames.TryParse(parseResult.GetValue(key), out var algorithm))
            {
                throw CliException.Usage($"unknown key type '{parseResult.GetValue(key)}'.");
            }

            var caName = parseResult.GetValue(name)!.Trim();
            if (caName.Length is 0 or > 40)
            {
                throw CliException.Usage("--name must have 1 to 40 characters (it becomes '<name> Root CA', at most 64).");
            }

            var folder = GlobalOptions.Folder(parseResult);
            var ca = new LocalCertificateAuthority(folder, TimeProvider.System);
            if (ca.IsInitialized)
            {
                throw CliException.Usage($"a certificate authority already exists in '{folder.Root}'; nothing was changed.");
            }

            var record = ca.Initialize(caName, algorithm);
            Console.WriteLine($"Created CA '{record.Name}' ({algorithm.ToName()}) in {folder.Root}");
            Console.WriteLine($"  root (trust anchor): {folder.RootCertificatePath}");
            Console.WriteLine($"  intermediate:        {folder.IntermediateCertificatePath}");
            Console.WriteLine($"  CRL:                 {folder.CrlPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
