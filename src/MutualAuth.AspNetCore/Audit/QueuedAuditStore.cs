using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MutualAuth.Authentication;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.Audit;

/// <summary>An <see cref="IAuditStore"/> whose background writer appends the queued events to the inner store, a batch per transaction.</summary>
// So a handshake or request never waits for a database commit and a burst costs one commit. A crash loses the events
// queued and not yet written (typically the last millisecond); DisposeAsync writes them all.
internal sealed class QueuedAuditStore : IAuditStore, IAsyncDisposable
{
    /// <summary>The default <see cref="Capacity"/>.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>The most events written in one transaction.</summary>
    public const int MaxBatchSize = 512;

    private readonly IAuditStore _inner;
    private readonly ILogger _logger;
    private readonly Channel<AuditEvent> _queue;
    private readonly Task _writer;
    private readonly object _progress = new();
    private long _queued;
    private long _done;

    /// <summary>Starts the background writer.</summary>
    /// <param name="inner">The durable store.</param>
    /// <param name="logger">Where failed writes are reported.</param>
    /// <param name="capacity">The most events waiting before <see cref="AppendAsync"/> writes to the inner store itself (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public QueuedAuditStore(IAuditStore inner, ILogger<QueuedAuditStore> logger, int capacity = DefaultCapacity)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteQueuedAsync);
    }

    /// <summary>The most events waiting to be written.</summary>
    public int Capacity { get; }

    /// <summary>Queues <paramref name="auditEvent"/>; writes it at once when the queue is full or closed.</summary>
    /// <exception cref="StoreException">The queue was full or closed and the direct write failed.</exception>
    public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        Interlocked.Increment(ref _queued);
        return _queue.Writer.TryWrite(auditEvent) ? ValueTask.CompletedTask : AppendDirectAsync(auditEvent, cancellationToken);
    }

    private async ValueTask AppendDirectAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        // Nothing is dropped for lack of room: with the queue full (a store slower than the event rate) the caller
        // writes, and waits as it would without the queue.

        try
        {
            await _inner.AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Completed(1);
        }
    }

    /// <summary>The most recent events, newest first, after the events queued before this call are written.</summary>
    /// <param name="limit">At most this many (1–10000).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<IReadOnlyList<AuditEvent>> ListRecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        // Readers in this process see their own writes; other processes see an event once the writer committed it.
        Flush();
        return _inner.ListRecentAsync(limit, cancellationToken);
    }

    /// <summary>Waits until every event queued before this call has been written (or its write has failed).</summary>
    public void Flush()
    {
        var target = Interlocked.Read(ref _queued);
        lock (_progress)
        {
            while (_done < target && !_writer.IsCompleted)
            {
                Monitor.Wait(_progress, TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>Closes the queue and waits until the events in it are written.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteQueuedAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<AuditEvent>(MaxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatchSize && reader.TryRead(out var auditEvent))
            {
                batch.Add(auditEvent);
            }

            try
            {
                await _inner.AppendRangeAsync(batch).ConfigureAwait(false);
            }
            catch (StoreException e)
            {
                // Logged with the number of events the batch held, as a failed synchronous write is.
                Log.AuditBatchWriteFailed(_logger, batch.Count, e.Message, e);
            }
            finally
            {
                Completed(batch.Count);
                batch.Clear();
            }
        }
    }

    private void Completed(int count)
    {
        lock (_progress)
        {
            _done += count;
            Monitor.PulseAll(_progress);
        }
    }
}
