using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth ca revoke SERIAL</c>.</summary>
internal static class CaRevokeCommand
{
    private static readonly Dictionary<string, X509RevocationReason> Reasons = new(StringComparer.OrdinalIgnoreCase)
    {
        ["unspecified"] = X509RevocationReason.Unspecified,
        ["keyCompromise"] = X509RevocationReason.KeyCompromise,
        ["caCompromise"] = X509RevocationReason.CACompromise,
        ["affiliationChanged"] = X509RevocationReason.AffiliationChanged,
        ["superseded"] = X509RevocationReason.Superseded,
        ["cessationOfOperation"] = X509RevocationReason.CessationOfOperation,
        ["certificateHold"] = X509RevocationReason.CertificateHold,
        ["privilegeWithdrawn"] = X509RevocationReason.PrivilegeWithdrawn,
    };

    public static Command Create()
    {
        var serial = new Argument<string>("serial") { Description = "Serial number in hex, as printed by 'ca issue' and 'ca list'." };
        var reason = new Option<string>("--reason")
        {
            Description = "RFC 5280 reason: " + string.Join(", ", Reasons.Keys) + ".",
            DefaultValueFactory = _ => "unspecified",
            HelpName = "REASON",
        };
        reason.AcceptOnlyFromAmong([.. Reasons.Keys]);
        var command = new Command("revoke", "Revoke a certificate and regenerate the CRL (with --store: for every serve node on that database, within seconds).") { serial, reason, SharedStore.Option() };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            string normalized;
            try
            {
                normalized = SerialNumbers.Normalize(parseResult.GetValue(serial)!);
            }
            catch (FormatException e)
            {
                throw CliException.Usage(e.Message, e);
            }

            await using var opened = await CertificateAuthorities.OpenInitializedAsync(parseResult, GlobalOptions.Folder(parseResult), cancellationToken);
            var ca = opened.Ca;
            var record = await ca.Store.FindIssuedAsync(normalized, cancellationToken) ?? throw CliException.Usage($"no certificate with serial {normalized} was issued by this CA.");
            if (!await ca.RevokeAsync(normalized, Reasons[parseResult.GetValue(reason)!], cancellationToken))
            {
                Console.WriteLine($"{normalized} ('{record.Name}') was already revoked at {record.RevokedAt:u}; CRL re-signed: {ca.Folder.CrlPath}");
                return ExitCodes.Success;
            }

            Console.WriteLine($"Revoked {normalized} ('{record.Name}', {record.Subject}); CRL updated: {ca.Folder.CrlPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
