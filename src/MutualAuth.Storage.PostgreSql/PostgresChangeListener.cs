using Npgsql;

namespace MutualAuth.Storage.PostgreSql;

/// <summary>
/// Listens on a PostgreSQL notification channel (<c>LISTEN</c>) and calls back when something was announced; reconnects
/// by itself after a failure and calls back once after every (re)connection, for what was announced meanwhile.
/// </summary>
public sealed class PostgresChangeListener : IAsyncDisposable
{
    /// <summary>How long the connection may stay quiet before it is checked with a query (a dead peer is noticed within it).</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private readonly PostgresDatabase _database;
    private readonly string _channel;
    private readonly Func<CancellationToken, Task> _changed;
    private readonly Action<Exception> _failed;
    private readonly TimeSpan _retry;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Starts listening on <paramref name="channel"/> in the background.</summary>
    /// <param name="database">The database.</param>
    /// <param name="channel">The channel name (an identifier, e.g. <see cref="PostgresCertificateStore.RevocationChannel"/>).</param>
    /// <param name="changed">Called after notifications (several arriving together give one call) and after each (re)connection; not concurrently.</param>
    /// <param name="failed">Told of a lost connection or a failed callback (the listener carries on).</param>
    /// <param name="retry">How long to wait before reconnecting.</param>
    public PostgresChangeListener(PostgresDatabase database, string channel, Func<CancellationToken, Task> changed, Action<Exception> failed, TimeSpan retry)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
        ArgumentException.ThrowIfNullOrEmpty(channel);
        if (!channel.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException("The channel must be lower-case letters, digits and '_'.", nameof(channel));
        }

        _channel = channel;
        _changed = changed ?? throw new ArgumentNullException(nameof(changed));
        _failed = failed ?? throw new ArgumentNullException(nameof(failed));
        _retry = retry;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Whether the listener is connected and listening now.</summary>
    public bool IsListening { get; private set; }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _database.OpenConnectionAsync(stop).ConfigureAwait(false);
                await using (var listen = new NpgsqlCommand($"LISTEN {_channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                IsListening = true;
                await ChangedAsync(stop).ConfigureAwait(false);
                while (!stop.IsCancellationRequested)
                {
                    if (await connection.WaitAsync(KeepAlive, stop).ConfigureAwait(false))
                    {
                        // Notifications that arrived meanwhile are read by the next wait; one call covers them all.
                        while (await connection.WaitAsync(TimeSpan.FromMilliseconds(1), stop).ConfigureAwait(false))
                        {
                        }

                        await ChangedAsync(stop).ConfigureAwait(false);
                    }
                    else
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stop).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Whatever broke the connection, the loop carries on: a listener that died silently would leave only the refresh.
                IsListening = false;
                _failed(new StoreException($"Listening on {_channel} at {_database.Description} failed; reconnecting in {_retry.TotalSeconds:0.#} s: {e.Message}", e));
            }

            IsListening = false;
            try
            {
                await Task.Delay(_retry, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task ChangedAsync(CancellationToken stop)
    {
        try
        {
            await _changed(stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _failed(e);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
