using System.Collections.Concurrent;
using System.Threading.Channels;

namespace MutualAuth.Storage.Sqlite;

/// <summary>
/// The single-node <see cref="IReplayCache"/>: values are checked and recorded in memory (insert-if-absent, atomic,
/// bounded, expiring), written to SQLite by a background writer in batches, and reloaded from SQLite at start-up.
/// </summary>
// Why (issue 17, measured in docs/benchmarks.md): the synchronous SQLite insert costs every signed request a write
// transaction on the request path; in memory it is a dictionary operation and a burst costs one commit. What it gives
// up: a process crash (not a clean stop, which flushes) between an accept and the next batch loses those values, so
// within their created/expires window they could be replayed once against the restarted process. The window is
// FlushInterval plus one commit (docs/operations.md). Only one serve process may use a data folder this way; several
// nodes share a PostgreSQL store and its synchronous insert instead.
internal sealed class SqliteWriteBehindReplayCache : IReplayCache, IAsyncDisposable
{
    /// <summary>The default <see cref="Capacity"/>: about 300 MB of values at the longest scope and value.</summary>
    public const int DefaultCapacity = 1_000_000;

    /// <summary>The default wait between the first value of a batch and its write.</summary>
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromMilliseconds(20);

    private const int MaxLength = 256;
    private const int MaxBatchSize = 1024;

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly TimeSpan _flushInterval;
    private readonly Action<int, StoreException>? _writeFailed;
    private readonly ConcurrentDictionary<(string Scope, string Value), long> _values = new();
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly object _progress = new();
    private readonly object _purgeLock = new();
    private int _count;
    private long _nextPurgeTicks;
    private long _lastPurgeTicks;
    private long _nextStorePurgeTicks;
    private long _queued;
    private long _done;

    /// <summary>Loads the values of <paramref name="database"/> that have not expired and starts the background writer.</summary>
    /// <param name="database">The data folder's database.</param>
    /// <param name="time">The clock of the start-up load and of the flush interval.</param>
    /// <param name="capacity">The most values held at once (at least 1); when full of live values, new ones fail closed.</param>
    /// <param name="flushInterval">How long the writer gathers values before a batch is written (zero: at once).</param>
    /// <param name="writeFailed">Told the batch size and the error when a batch cannot be written (the values stay in memory).</param>
    /// <exception cref="StoreException">The stored values cannot be read.</exception>
    public SqliteWriteBehindReplayCache(SqliteDatabase database, TimeProvider time, int capacity = DefaultCapacity, TimeSpan? flushInterval = null,
        Action<int, StoreException>? writeFailed = null)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _flushInterval = flushInterval ?? DefaultFlushInterval;
        ArgumentOutOfRangeException.ThrowIfLessThan(_flushInterval, TimeSpan.Zero, nameof(flushInterval));
        _writeFailed = writeFailed;
        Load(time.GetUtcNow());
        _writer = Task.Run(WriteQueuedAsync);
    }

    /// <summary>The most values held at once.</summary>
    public int Capacity { get; }

    /// <inheritdoc />
    /// <exception cref="StoreException">The cache holds <see cref="Capacity"/> live values: refused rather than forgotten.</exception>
    public ValueTask<bool> TryAddAsync(string scope, string value, DateTimeOffset expires, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scope.Length, MaxLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, MaxLength);
        var nowTicks = now.UtcTicks;
        if (nowTicks >= Interlocked.Read(ref _nextPurgeTicks) || Volatile.Read(ref _count) >= Capacity)
        {
            Purge(nowTicks);
        }

        var key = (scope, value);
        var expiresTicks = expires.UtcTicks;
        while (true)
        {
            if (Volatile.Read(ref _count) >= Capacity)
            {
                // Fail closed: forgetting a live value would let it be replayed.
                throw new StoreException($"The replay cache holds {Capacity} unexpired values.");
            }

            if (_values.TryAdd(key, expiresTicks))
            {
                Interlocked.Increment(ref _count);
                break;
            }

            if (!_values.TryGetValue(key, out var recorded))
            {
                continue;
            }

            // A live record is a replay; an expired one is taken over, atomically against a concurrent taker.
            if (recorded > nowTicks)
            {
                return ValueTask.FromResult(false);
            }

            if (_values.TryUpdate(key, expiresTicks, recorded))
            {
                break;
            }
        }

        Interlocked.Increment(ref _queued);
        _queue.Writer.TryWrite(new Pending(scope, value, expires));
        return ValueTask.FromResult(true);
    }

    /// <summary>Waits until every value recorded before this call has been written (or its batch has failed).</summary>
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

    /// <summary>Closes the queue and waits until the values in it are written.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private void Load(DateTimeOffset now)
    {
        var loaded = _database.Run(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT scope, value, expires_at FROM replay_value WHERE expires_at > $now";
            command.Parameters.AddWithValue("$now", SqlTime.Format(now));
            using var reader = command.ExecuteReader();
            var count = 0;
            while (reader.Read())
            {
                _values[(reader.GetString(0), reader.GetString(1))] = SqlTime.Parse(reader.GetString(2)).UtcTicks;
                count++;
            }

            return count;
        });
        _count = loaded;
    }

    private void Purge(long nowTicks)
    {
        // One purger at a time; the others go on (a full cache rechecks the count after the purge it waited for).
        lock (_purgeLock)
        {
            // Due once a minute; when full, at most once a second (a scan of every value is not done per request).
            if (nowTicks < Interlocked.Read(ref _nextPurgeTicks) && (Volatile.Read(ref _count) < Capacity || nowTicks < _lastPurgeTicks + TimeSpan.TicksPerSecond))
            {
                return;
            }

            _lastPurgeTicks = nowTicks;
            Interlocked.Exchange(ref _nextPurgeTicks, nowTicks + TimeSpan.TicksPerMinute);
            foreach (var entry in _values)
            {
                // Removes the entry only if it still holds this expiry (not taken over meanwhile).
                if (entry.Value <= nowTicks && _values.TryRemove(entry))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
        }
    }

    private async Task WriteQueuedAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(MaxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (_flushInterval > TimeSpan.Zero && !reader.Completion.IsCompleted)
            {
                await Task.Delay(_flushInterval, _time).ConfigureAwait(false);
            }

            while (reader.TryRead(out var pending))
            {
                batch.Add(pending);
                if (batch.Count == MaxBatchSize || !reader.TryPeek(out _))
                {
                    WriteBatch(batch);
                    batch.Clear();
                }
            }
        }
    }

    private void WriteBatch(List<Pending> batch)
    {
        var now = _time.GetUtcNow();
        var purge = now.UtcTicks >= _nextStorePurgeTicks;
        if (purge)
        {
            _nextStorePurgeTicks = now.UtcTicks + TimeSpan.TicksPerMinute;
        }

        try
        {
            _database.RunWrite(connection =>
            {
                using var transaction = connection.BeginTransaction();
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                if (purge)
                {
                    command.CommandText = "DELETE FROM replay_value WHERE expires_at <= $now";
                    command.Parameters.AddWithValue("$now", SqlTime.Format(now));
                    command.ExecuteNonQuery();
                    command.Parameters.Clear();
                }

                // Memory already decided; the store keeps the later expiry of a value taken over.
                command.CommandText = """
                    INSERT INTO replay_value (scope, value, expires_at) VALUES ($scope, $value, $expires)
                    ON CONFLICT (scope, value) DO UPDATE SET expires_at = excluded.expires_at WHERE excluded.expires_at > replay_value.expires_at
                    """;
                var scope = command.Parameters.Add("$scope", Microsoft.Data.Sqlite.SqliteType.Text);
                var value = command.Parameters.Add("$value", Microsoft.Data.Sqlite.SqliteType.Text);
                var expires = command.Parameters.Add("$expires", Microsoft.Data.Sqlite.SqliteType.Text);
                foreach (var pending in batch)
                {
                    scope.Value = pending.Scope;
                    value.Value = pending.Value;
                    expires.Value = SqlTime.Format(pending.Expires);
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
                return batch.Count;
            });
        }
        catch (StoreException e)
        {
            // The values stay in memory, so this process still refuses their replays; a restart would not.
            _writeFailed?.Invoke(batch.Count, e);
        }
        finally
        {
            lock (_progress)
            {
                _done += batch.Count;
                Monitor.PulseAll(_progress);
            }
        }
    }

    private readonly record struct Pending(string Scope, string Value, DateTimeOffset Expires);
}
