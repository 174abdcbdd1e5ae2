using System.Collections.Concurrent;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.Scram;

/// <summary>Per-scheme state that outlives a request: exchanges awaiting client-final (unless a shared store is configured) and failure limits.</summary>
internal sealed class ScramSchemeState : IDisposable
{
    private readonly ConcurrentDictionary<string, (IScramExchangeStore Pending, ScramFailureLimiter Limiter)> _schemes = new(StringComparer.Ordinal);

    public (IScramExchangeStore Pending, ScramFailureLimiter Limiter) For(string scheme, ScramAuthenticationOptions options) =>
        _schemes.GetOrAdd(scheme, _ => (options.ExchangeStore ?? new InMemoryScramExchangeStore(), new ScramFailureLimiter(options)));

    public void Dispose()
    {
        foreach (var (_, limiter) in _schemes.Values)
        {
            limiter.Dispose();
        }
    }
}
