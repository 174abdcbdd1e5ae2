using Microsoft.Extensions.Logging;
using MutualAuth.AspNetCore.TrustMaterial;
using MutualAuth.Storage;
using MutualAuth.Storage.PostgreSql;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli;

/// <summary>
/// Keeps <c>serve</c>'s CRL current and reloads the trust policy when it changes. With a shared store every node hears
/// a revocation at once (PostgreSQL <c>LISTEN</c>) and also refreshes every <see cref="SharedRefresh"/>, in case a
/// notification was lost while the listener reconnected; see docs/operations.md for the measured bound.
/// </summary>
internal sealed partial class CrlFollower : IAsyncDisposable
{
    /// <summary>How often a node on a shared store refreshes without a notification.</summary>
    public static readonly TimeSpan SharedRefresh = TimeSpan.FromSeconds(10);

    private readonly LocalCertificateAuthority _ca;
    private readonly FileTrustPolicySource _trust;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly PostgresChangeListener? _listener;
    private readonly Timer? _timer;

    public CrlFollower(LocalCertificateAuthority ca, FileTrustPolicySource trust, PostgresDatabase? shared, ILogger log)
    {
        _ca = ca;
        _trust = trust;
        _log = log;
        if (shared is not null)
        {
            _listener = new PostgresChangeListener(shared, PostgresCertificateStore.RevocationChannel, RefreshAsync, e => LogFailed(_log, e.Message), TimeSpan.FromSeconds(1));
            _timer = new Timer(_ => _ = RefreshQuietlyAsync(), null, SharedRefresh, SharedRefresh);
        }
    }

    /// <summary>Refreshes the CRL now (one refresh at a time) and reloads the trust policy when the file changed.</summary>
    /// <exception cref="StoreException">The store cannot be read or the CA cannot sign.</exception>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await _ca.RefreshCrlAsync(cancellationToken).ConfigureAwait(false))
            {
                _trust.Reload();
            }
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task RefreshQuietlyAsync()
    {
        try
        {
            await RefreshAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreException or IOException or System.Security.Cryptography.CryptographicException)
        {
            LogFailed(_log, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        _one.Dispose();
    }

    [LoggerMessage(9105, LogLevel.Error, "Following the shared revocations failed (retried): {Message}")]
    private static partial void LogFailed(ILogger logger, string message);
}
