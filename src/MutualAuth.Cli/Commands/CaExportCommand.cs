using System.CommandLine;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth ca export NAME --p12 FILE</c>: an identity of the data folder as PKCS#12.</summary>
internal static class CaExportCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Identity name (folder under identities/)." };
        var p12 = new Option<string>("--p12") { Description = "PKCS#12 file to write (key, certificate, intermediate; AES-256).", Required = true, HelpName = "FILE" };
        var password = new Option<string?>("--p12-password-file") { Description = "File holding the password (default: a random one written to FILE.password, mode 0600).", HelpName = "FILE" };
        var command = new Command("export", "Export an identity (certificate, key and intermediate) as a PKCS#12 file, e.g. for a browser or Windows.") { name, p12, password };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var folder = GlobalOptions.ExistingFolder(parseResult);
            var files = CaIssueCommand.IdentityFor(folder, parseResult.GetValue(name)!);
            if (!files.Exists)
            {
                throw CliException.Usage($"no identity '{files.Name}' with a key in {folder.Root}.");
            }

            CaIssueCommand.CheckPkcs12Output(parseResult.GetValue(p12)!, parseResult.GetValue(password));
            using var certificate = InputFiles.CertificateWithKey(files.ChainPath, files.KeyPath);
            var record = await new LocalCertificateAuthority(folder, TimeProvider.System).Store.FindIssuedAsync(certificate.SerialNumber, cancellationToken);
            if (record?.RevokedAt is not null)
            {
                throw CliException.Usage($"the certificate of '{files.Name}' was revoked at {record.RevokedAt:u}; issue a new one instead of exporting it.");
            }

            var chain = InputFiles.Certificates(files.ChainPath);
            CaIssueCommand.WritePkcs12(certificate, [.. chain.Skip(1)], parseResult.GetValue(p12)!, parseResult.GetValue(password));
            return ExitCodes.Success;
        });
        return command;
    }
}
