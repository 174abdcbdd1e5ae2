using System.Collections.Concurrent;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.Scram;

/// <summary>The single node's <see cref="IScramExchangeStore"/>: in this process, taken at most once, expiring, bounded in total and per address.</summary>
// Memory, not the SQLite file, on purpose: an exchange lives 30 s and protects nothing once lost. A restart that forgets
// one costs its client a new login (client-final is refused as unknown-session: fail closed), unlike a replay cache,
// whose loss would accept a replay. Writing each login's exchange to disk would only add two writes per login. Several
// nodes use the shared store (PostgresScramExchangeStore). The per-address bound keeps one client from filling the table.
internal sealed class InMemoryScramExchangeStore : IScramExchangeStore
{
    private readonly ConcurrentDictionary<string, ScramPendingExchange> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _perAddress = new(StringComparer.Ordinal);

    public ValueTask<bool> TryAddAsync(ScramPendingExchange exchange, int capacity, int perAddress, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (_entries.Count >= capacity || _perAddress.GetValueOrDefault(exchange.Address) >= perAddress)
        {
            foreach (var (id, entry) in _entries)
            {
                if (entry.Expires <= now)
                {
                    Remove(id);
                }
            }

            if (_entries.Count >= capacity || _perAddress.GetValueOrDefault(exchange.Address) >= perAddress)
            {
                return ValueTask.FromResult(false);
            }
        }

        _perAddress.AddOrUpdate(exchange.Address, 1, (_, count) => count + 1);
        _entries[exchange.Id] = exchange;
        return ValueTask.FromResult(true);
    }

    public ValueTask<ScramPendingExchange?> TakeAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Remove(id) is { } entry && entry.Expires > now ? entry : null);

    private ScramPendingExchange? Remove(string id)
    {
        if (!_entries.TryRemove(id, out var entry))
        {
            return null;
        }

        if (_perAddress.AddOrUpdate(entry.Address, 0, (_, count) => count - 1) <= 0)
        {
            _perAddress.TryRemove(KeyValuePair.Create(entry.Address, 0));
        }

        return entry;
    }
}
