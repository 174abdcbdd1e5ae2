using System.CommandLine;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli;

/// <summary>Opens the data folder's CA for commands that need one.</summary>
internal static class CertificateAuthorities
{
    /// <summary>The CA of the data folder (its key opened with the PIN sources of <paramref name="parseResult"/> when on a token); a usage error when <c>ca init</c> has not run.</summary>
    public static async Task<LocalCertificateAuthority> OpenInitializedAsync(DataFolder folder, ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (!File.Exists(folder.DatabasePath))
        {
            throw CliException.Usage($"no certificate authority in '{folder.Root}'; run 'mutualauth ca init' first (or 'mutualauth serve' for a zero-config setup).");
        }

        var ca = CaTokenKeys.Authority(folder, parseResult);
        return await ca.IsInitializedAsync(cancellationToken) ? ca : throw CliException.Usage($"no certificate authority in '{folder.Root}'; run 'mutualauth ca init' first (or 'mutualauth serve' for a zero-config setup).");
    }
}
