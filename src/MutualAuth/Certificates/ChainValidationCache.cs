using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>Remembers accepted chains, so a client reconnecting with the same certificates skips path building.</summary>
public sealed class ChainValidationCache
{
    /// <summary>The longest an accepted decision is reused.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly ChainValidator _validator;
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly Lock _lock = new();
    private TrustPolicy? _policy;
    private ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Creates an empty cache.</summary>
    /// <param name="timeProvider">Clock for validation and expiry.</param>
    /// <param name="capacity">At most this many entries; when full, the cache starts over.</param>
    public ChainValidationCache(TimeProvider timeProvider, int capacity = 10_000)
    {
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _validator = new ChainValidator(timeProvider);
    }

    /// <summary>The number of cached decisions.</summary>
    public int Count => _entries.Count;

    /// <summary>Validates like <see cref="ChainValidator.Validate"/>, reusing a cached acceptance when one applies.</summary>
    public ChainValidationResult Validate(X509Certificate2? leaf, IReadOnlyList<X509Certificate2> peerCertificates, TrustPolicy policy, string? expectedHostName = null)
    {
        ArgumentNullException.ThrowIfNull(peerCertificates);
        ArgumentNullException.ThrowIfNull(policy);
        if (leaf is null)
        {
            return _validator.Validate(leaf, peerCertificates, policy, expectedHostName);
        }

        // An entry is keyed by the SHA-256 of the presented certificates and the expected host, belongs to one policy
        // snapshot (a reloaded policy starts empty, so a new CRL applies at once), and never outlives the leaf's
        // notAfter, the policy's earliest CRL nextUpdate or MaxAge.
        var entries = EntriesFor(policy);
        var key = Key(leaf, peerCertificates, expectedHostName);
        var now = _time.GetUtcNow();
        if (entries.TryGetValue(key, out var cached) && now < cached.Expires && now >= cached.NotBefore)
        {
            return cached.Result;
        }

        var result = _validator.Validate(leaf, peerCertificates, policy, expectedHostName);
        // Refusals are never cached, so junk certificates cannot push good entries out.
        if (result.IsValid)
        {
            if (entries.Count >= _capacity)
            {
                entries.Clear();
            }

            entries[key] = new Entry(result, leaf.NotBefore.ToUniversalTime(), Expiry(leaf, policy, now));
        }

        return result;
    }

    private ConcurrentDictionary<string, Entry> EntriesFor(TrustPolicy policy)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(policy, _policy))
            {
                _policy = policy;
                _entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
            }

            return _entries;
        }
    }

    private static DateTimeOffset Expiry(X509Certificate2 leaf, TrustPolicy policy, DateTimeOffset now)
    {
        var expires = now + MaxAge;
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        expires = notAfter < expires ? notAfter : expires;
        foreach (var crl in policy.Crls)
        {
            if (crl.NextUpdate is { } next && next < expires)
            {
                expires = next;
            }
        }

        return expires;
    }

    private static string Key(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> peerCertificates, string? host)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(leaf.RawData);
        foreach (var certificate in peerCertificates)
        {
            hash.AppendData(certificate.RawData);
        }

        hash.AppendData(System.Text.Encoding.UTF8.GetBytes("\0" + host));
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private sealed record Entry(ChainValidationResult Result, DateTimeOffset NotBefore, DateTimeOffset Expires);
}
