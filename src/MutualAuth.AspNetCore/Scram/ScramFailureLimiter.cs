using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;

namespace MutualAuth.AspNetCore.Scram;

/// <summary>Limits failed exchanges per user name and per client address with token buckets; every failure takes a token from both.</summary>
// Unknown and known names are limited alike. The buckets refill on the system clock (the rate-limiting library has no
// TimeProvider). Names and addresses are the client's to choose, so each maps to one of Slots buckets by HMAC-SHA256
// under a start-up key (nobody can aim at another name's bucket; memory stays bounded); two names sharing a bucket
// cost at most an early 429. IPv6 clients are limited per /64, the smallest block a client usually controls.
internal sealed class ScramFailureLimiter : IDisposable
{
    /// <summary>Buckets per kind (user names, addresses).</summary>
    internal const int Slots = 16_384;

    private readonly byte[] _slotKey = RandomNumberGenerator.GetBytes(32);
    private readonly PartitionedRateLimiter<string> _users;
    private readonly PartitionedRateLimiter<string> _addresses;
    private readonly TimeSpan _userRefill;
    private readonly TimeSpan _addressRefill;

    public ScramFailureLimiter(ScramAuthenticationOptions options)
        : this(options.UserFailureBurst, options.UserFailureRefill, options.AddressFailureBurst, options.AddressFailureRefill)
    {
    }

    /// <summary>The same limits for another method (WebAuthn reuses this design).</summary>
    public ScramFailureLimiter(int userBurst, TimeSpan userRefill, int addressBurst, TimeSpan addressRefill)
    {
        _userRefill = userRefill;
        _addressRefill = addressRefill;
        _users = Create(userBurst, userRefill);
        _addresses = Create(addressBurst, addressRefill);
    }

    /// <summary>Whether both buckets still hold a token (no token is taken); otherwise how long until the empty one refills.</summary>
    public bool IsAllowed(string? userName, string address, out TimeSpan retryAfter)
    {
        retryAfter = _addresses.GetStatistics(AddressSlot(address))?.CurrentAvailablePermits is <= 0 ? _addressRefill
            : userName is not null && _users.GetStatistics(Slot(userName))?.CurrentAvailablePermits is <= 0 ? _userRefill
            : TimeSpan.Zero;
        return retryAfter == TimeSpan.Zero;
    }

    /// <summary>Takes a token from the user's and the address's buckets.</summary>
    public void RecordFailure(string? userName, string address)
    {
        _addresses.AttemptAcquire(AddressSlot(address)).Dispose();
        if (userName is not null)
        {
            _users.AttemptAcquire(Slot(userName)).Dispose();
        }
    }

    /// <summary>The bucket of <paramref name="value"/>: a number below <see cref="Slots"/>, from a keyed hash.</summary>
    internal string Slot(string value)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_slotKey, Encoding.UTF8.GetBytes(value), mac);
        return (BinaryPrimitives.ReadUInt32LittleEndian(mac) % Slots).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The bucket of a client address; IPv6 addresses (not IPv4-mapped) count per /64.</summary>
    internal string AddressSlot(string address)
    {
        if (IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 && !ip.IsIPv4MappedToIPv6)
        {
            var bytes = ip.GetAddressBytes();
            address = Convert.ToHexString(bytes, 0, 8) + "/64";
        }

        return Slot(address);
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
