using System.Collections.Concurrent;
using System.Security.Cryptography;
using MutualAuth.Scram;

namespace MutualAuth.AspNetCore.Scram;

/// <summary>Exchanges between server-first and client-final by <c>sid</c>: taken at most once, expiring, bounded in total and per address.</summary>
// The per-address bound keeps one client from filling the table and locking everyone out. Held in this process: both
// round trips of one exchange must reach the same node.
internal sealed class ScramPendingExchanges(TimeProvider time, TimeSpan timeout, int capacity, int perAddress)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _perAddress = new(StringComparer.Ordinal);

    /// <summary>Stores an exchange and returns its new <c>sid</c>, or null when the table or the address's share of it is full.</summary>
    public string? Add(ScramServer server, ScramMechanism mechanism, string userName, string address)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= capacity || _perAddress.GetValueOrDefault(address) >= perAddress)
        {
            foreach (var (sid, entry) in _entries)
            {
                if (entry.Expires <= now)
                {
                    Remove(sid);
                }
            }

            if (_entries.Count >= capacity || _perAddress.GetValueOrDefault(address) >= perAddress)
            {
                return null;
            }
        }

        var id = Base64Url(RandomNumberGenerator.GetBytes(18));
        _perAddress.AddOrUpdate(address, 1, (_, count) => count + 1);
        _entries[id] = new Entry(server, mechanism, userName, address, now + timeout);
        return id;
    }

    /// <summary>Removes and returns the exchange <paramref name="sid"/> when it exists, has not expired and used <paramref name="mechanism"/>.</summary>
    public (ScramServer Server, string UserName)? Take(string sid, ScramMechanism mechanism) =>
        Remove(sid) is { } entry && entry.Expires > time.GetUtcNow() && entry.Mechanism == mechanism
            ? (entry.Server, entry.UserName)
            : null;

    private Entry? Remove(string sid)
    {
        if (!_entries.TryRemove(sid, out var entry))
        {
            return null;
        }

        if (_perAddress.AddOrUpdate(entry.Address, 0, (_, count) => count - 1) <= 0)
        {
            _perAddress.TryRemove(KeyValuePair.Create(entry.Address, 0));
        }

        return entry;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');

    private sealed record Entry(ScramServer Server, ScramMechanism Mechanism, string UserName, string Address, DateTimeOffset Expires);
}
