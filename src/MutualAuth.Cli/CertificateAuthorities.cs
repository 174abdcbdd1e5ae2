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
            throw NotInitialized(folder);
        }

        var ca = CaTokenKeys.Authority(folder, parseResult);
        return await ca.IsInitializedAsync(cancellationToken) ? ca : throw NotInitialized(folder);
    }

    /// <summary>
    /// The CA whose keys are in the data folder and whose records (issued certificates, revocations, CRL) are in the store
    /// of <c>--store</c> when given, so that a revocation reaches every node; else the data folder's SQLite.
    /// </summary>
    public static async Task<OpenedAuthority> OpenInitializedAsync(ParseResult parseResult, DataFolder folder, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue<string?>("--store") is null)
        {
            return new OpenedAuthority(await OpenInitializedAsync(folder, parseResult, cancellationToken), null);
        }

        var store = await SharedStore.OpenAsync(parseResult, folder, cancellationToken);
        try
        {
            var ca = CaTokenKeys.Authority(folder, parseResult, store.Certificates());
            return await ca.IsInitializedAsync(cancellationToken)
                ? new OpenedAuthority(ca, store)
                : throw CliException.Usage($"no certificate authority in the store {store.Postgres!.Description}; start the first 'serve --store' node on an empty data folder.");
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    private static CliException NotInitialized(DataFolder folder) =>
        CliException.Usage($"no certificate authority in '{folder.Root}'; run 'mutualauth ca init' first (or 'mutualauth serve' for a zero-config setup).");

    /// <summary>A CA and the shared store it was opened on (closed with it).</summary>
    internal sealed class OpenedAuthority(LocalCertificateAuthority ca, SharedStore? store) : IAsyncDisposable
    {
        public LocalCertificateAuthority Ca => ca;

        public ValueTask DisposeAsync() => store?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
