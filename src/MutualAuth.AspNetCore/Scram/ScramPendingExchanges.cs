using System.Collections.Concurrent;
using System.Security.Cryptography;
using MutualAuth.Scram;

namespace MutualAuth.AspNetCore.Scram;

/// <summary>
/// Exchanges between server-first and client-final, by <c>sid</c> (RFC 7804 §5): each is taken at most once,
/// expires after a timeout, and their number is bounded. Held in this process: both round trips of one
/// exchange must reach the same node.
/// </summary>
internal sealed class ScramPendingExchanges(TimeProvider time, TimeSpan timeout, int capacity)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Stores an exchange and returns its new <c>sid</c>, or null when the store is full.</summary>
    public string? Add(ScramServer server, ScramMechanism mechanism, string userName)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= capacity)
        {
            foreach (var (sid, entry) in _entries)
            {
                if (entry.Expires <= now)
                {
                    _entries.TryRemove(sid, out _);
                }
            }

            if (_entries.Count >= capacity)
            {
                return null;
            }
        }

        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        _entries[id] = new Entry(server, mechanism, userName, now + timeout);
        return id;
    }

    /// <summary>Removes and returns the exchange <paramref name="sid"/> when it exists, has not expired and used <paramref name="mechanism"/>.</summary>
    public (ScramServer Server, string UserName)? Take(string sid, ScramMechanism mechanism) =>
        _entries.TryRemove(sid, out var entry) && entry.Expires > time.GetUtcNow() && entry.Mechanism == mechanism
            ? (entry.Server, entry.UserName)
            : null;

    private sealed record Entry(ScramServer Server, ScramMechanism Mechanism, string UserName, DateTimeOffset Expires);
}
