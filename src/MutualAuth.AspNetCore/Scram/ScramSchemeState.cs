using System.Collections.Concurrent;

namespace MutualAuth.AspNetCore.Scram;

/// <summary>Per-scheme state that outlives a request: exchanges awaiting client-final and failure limits.</summary>
internal sealed class ScramSchemeState(TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<string, (ScramPendingExchanges Pending, ScramFailureLimiter Limiter)> _schemes = new(StringComparer.Ordinal);

    public (ScramPendingExchanges Pending, ScramFailureLimiter Limiter) For(string scheme, ScramAuthenticationOptions options) =>
        _schemes.GetOrAdd(scheme, _ => (new ScramPendingExchanges(time, options.ExchangeTimeout, options.MaxPendingExchanges, options.MaxPendingExchangesPerAddress), new ScramFailureLimiter(options)));

    public void Dispose()
    {
        foreach (var (_, limiter) in _schemes.Values)
        {
            limiter.Dispose();
        }
    }
}
