using System.Collections.Concurrent;
using MutualAuth.AspNetCore.Scram;

namespace MutualAuth.AspNetCore.WebAuthn;

/// <summary>Per-scheme state that outlives a request: the failure limits (in memory, per node; docs/webauthn.md).</summary>
internal sealed class WebAuthnSchemeState : IDisposable
{
    private readonly ConcurrentDictionary<string, ScramFailureLimiter> _limiters = new(StringComparer.Ordinal);

    public ScramFailureLimiter For(string scheme, WebAuthnOptions options) =>
        _limiters.GetOrAdd(scheme, _ => new ScramFailureLimiter(options.UserFailureBurst, options.UserFailureRefill, options.AddressFailureBurst, options.AddressFailureRefill));

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }
}
