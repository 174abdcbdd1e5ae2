using System.Threading.RateLimiting;

namespace MutualAuth.AspNetCore.Scram;

/// <summary>
/// Limits failed exchanges per user name and per client address with token buckets
/// (<see cref="System.Threading.RateLimiting"/>): every failure takes a token from both; an exchange is not
/// started while either bucket is empty. Unknown and known user names are limited alike. The buckets refill on
/// the system clock (the rate-limiting library has no <see cref="TimeProvider"/>).
/// </summary>
internal sealed class ScramFailureLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _users;
    private readonly PartitionedRateLimiter<string> _addresses;
    private readonly TimeSpan _userRefill;
    private readonly TimeSpan _addressRefill;

    public ScramFailureLimiter(ScramAuthenticationOptions options)
    {
        _userRefill = options.UserFailureRefill;
        _addressRefill = options.AddressFailureRefill;
        _users = Create(options.UserFailureBurst, options.UserFailureRefill);
        _addresses = Create(options.AddressFailureBurst, options.AddressFailureRefill);
    }

    /// <summary>Whether both buckets still hold a token (no token is taken); otherwise how long until the empty one refills.</summary>
    public bool IsAllowed(string? userName, string address, out TimeSpan retryAfter)
    {
        retryAfter = _addresses.GetStatistics(address)?.CurrentAvailablePermits is <= 0 ? _addressRefill
            : userName is not null && _users.GetStatistics(userName)?.CurrentAvailablePermits is <= 0 ? _userRefill
            : TimeSpan.Zero;
        return retryAfter == TimeSpan.Zero;
    }

    /// <summary>Takes a token from the user's and the address's buckets.</summary>
    public void RecordFailure(string? userName, string address)
    {
        _addresses.AttemptAcquire(address).Dispose();
        if (userName is not null)
        {
            _users.AttemptAcquire(userName).Dispose();
        }
    }

    public void Dispose()
    {
        _users.Dispose();
        _addresses.Dispose();
    }

    private static PartitionedRateLimiter<string> Create(int burst, TimeSpan refill) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = refill,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);
}
