using Microsoft.Extensions.Logging;
using MutualAuth.Authentication;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.Audit;

/// <summary>
/// An <see cref="IAuditStore"/> that loses nothing while its database is away: events it cannot write go to the node's
/// <see cref="AuditSpool"/>, and the spool is written back, in order, before any newer event, once the database answers.
/// </summary>
// While the spool holds events every new batch is appended behind them, so the table receives events in the order
// they were recorded. The spool is bounded: at MaxSpoolBytes the availability reports it full and the gateway
// refuses authenticated requests (503) rather than drop their audit; events already decided are still spooled.
internal sealed class SpooledAuditStore : IAuditStore, IAsyncDisposable
{
    /// <summary>The default spool limit, 64 MiB (about 300,000 events).</summary>
    public const long DefaultMaxSpoolBytes = 64L << 20;

    private readonly IAuditStore _inner;
    private readonly AuditSpool _spool;
    private readonly StoreAvailability _availability;
    private readonly ILogger _logger;
    private readonly long _maxSpoolBytes;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _drainer;

    /// <summary>Opens the spool at <paramref name="spoolPath"/> and starts draining it whenever it holds events.</summary>
    public SpooledAuditStore(IAuditStore inner, string spoolPath, StoreAvailability availability, ILogger<SpooledAuditStore> logger,
        long maxSpoolBytes = DefaultMaxSpoolBytes, TimeSpan? drainInterval = null)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _availability = availability ?? throw new ArgumentNullException(nameof(availability));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSpoolBytes, 1);
        _maxSpoolBytes = maxSpoolBytes;
        _spool = new AuditSpool(spoolPath);
        ReportFullness();
        _drainer = DrainPeriodicallyAsync(drainInterval ?? TimeSpan.FromMilliseconds(500));
    }

    /// <summary>Whether events wait in the spool (for tests and the status line).</summary>
    public bool HasSpooledEvents => _spool.HasEvents;

    /// <inheritdoc />
    public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return AppendRangeAsync([auditEvent], cancellationToken);
    }

    /// <summary>Writes the events to the database, or to the spool when it fails or already holds older events.</summary>
    /// <exception cref="StoreException">The spool cannot be written either (a full or failing disk).</exception>
    public async ValueTask AppendRangeAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        // The usual case takes no lock, so --audit-sync writers stay concurrent; the background writer is single, so
        // its batches still reach the table in order (once one is spooled, the next sees HasEvents and follows it).
        if (!_spool.HasEvents)
        {
            try
            {
                // Not the caller's token: an event that was decided is written whatever happens to its request.
                await _inner.AppendRangeAsync(auditEvents, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (StoreException e)
            {
                Log.AuditSpooling(_logger, auditEvents.Count, e.Message);
            }
        }

        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            try
            {
                _spool.Append(auditEvents);
            }
            catch (IOException e)
            {
                // Neither the database nor the disk takes them: refuse further requests rather than decide unaudited.
                _availability.ReportAuditSpoolFull(true);
                throw new StoreException("The audit spool cannot be written: " + e.Message, e);
            }

            ReportFullness();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes the spooled events to the database, oldest first, a chunk per transaction, until it is empty or fails.</summary>
    /// <returns>Whether the spool is empty.</returns>
    public async Task<bool> DrainAsync()
    {
        while (true)
        {
            await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                var (events, end) = _spool.Read(QueuedAuditStore.MaxBatchSize);
                if (events.Count > 0)
                {
                    await _inner.AppendRangeAsync(events, CancellationToken.None).ConfigureAwait(false);
                }

                _spool.Commit(end);
                ReportFullness();
                if (!_spool.HasEvents)
                {
                    Log.AuditSpoolDrained(_logger);
                    return true;
                }
            }
            catch (StoreException)
            {
                return false;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEvent>> ListRecentAsync(int limit, CancellationToken cancellationToken = default) =>
        _inner.ListRecentAsync(limit, cancellationToken);

    /// <summary>Stops the drainer after one last attempt; what it could not write stays in the spool for the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _drainer.ConfigureAwait(false);
        if (_spool.HasEvents)
        {
            await DrainAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
        _gate.Dispose();
    }

    private async Task DrainPeriodicallyAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (_spool.HasEvents)
                {
                    await DrainAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void ReportFullness() => _availability.ReportAuditSpoolFull(_spool.PendingBytes >= _maxSpoolBytes);
}
