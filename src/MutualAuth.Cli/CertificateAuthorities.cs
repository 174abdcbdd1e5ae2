using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli;

/// <summary>Opens the data folder's CA for commands that need one.</summary>
internal static class CertificateAuthorities
{
    /// <summary>The CA of the data folder; a usage error when <c>ca init</c> has not run.</summary>
    public static async Task<LocalCertificateAuthority> OpenInitializedAsync(DataFolder folder, CancellationToken cancellationToken)
    {
        if (!File.Exists(folder.DatabasePath))
        {
            throw CliException.Usage($"no certificate authority in '{folder.Root}'; run 'mutualauth ca init' first (or 'mutualauth serve' for a zero-config setup).");
        }

        var ca = new LocalCertificateAuthority(folder, TimeProvider.System);
        return await ca.IsInitializedAsync(cancellationToken) ? ca : throw CliException.Usage($"no certificate authority in '{folder.Root}'; run 'mutualauth ca init' first (or 'mutualauth serve' for a zero-config setup).");
    }
}
