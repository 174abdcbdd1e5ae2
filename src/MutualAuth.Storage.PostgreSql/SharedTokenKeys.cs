using System.Security.Cryptography;
using System.Text;
using MutualAuth.Keys;
using MutualAuth.Tokens;

namespace MutualAuth.Storage.PostgreSql;

/// <summary>
/// The authorization server's token signing keys shared by several nodes (<c>serve --store</c>): one ES256 key per
/// rotation period, created by whichever node comes first and read by the others, sealed by the data folder's box.
/// </summary>
/// <param name="store">The shared keys.</param>
/// <param name="seal">Seals a private key before it is stored (the data folder's box).</param>
/// <param name="open">Opens a stored key; throws when the box differs.</param>
/// <param name="time">The clock.</param>
internal sealed class SharedTokenKeys(ITokenSigningKeyStore store, Func<byte[], byte[]> seal, Func<byte[], byte[]> open, TimeProvider time)
{
    /// <summary>The associated data binding a sealed key to this use of the box.</summary>
    public const string SealContext = "token-signing-key";

    private const string Prefix = "as-";
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SigningKey> _opened = new(StringComparer.Ordinal);
    private TokenSigningKeys? _current;
    private DateTimeOffset _nextCheck;

    /// <summary>How long a key signs; periods are counted from the Unix epoch so every node agrees on the boundaries.</summary>
    public TimeSpan RotationPeriod { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How long the previous key stays published after the boundary: longer than any token lives.</summary>
    public TimeSpan Overlap { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long before the boundary the next key is created and published (not yet signing), so every node's JWKS holds
    /// it when the first node switches, whatever their clock skew and refresh delay.
    /// </summary>
    public TimeSpan PrePublish { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The longest a node goes without re-reading the keys (another node's pre-published key, a leaving one).</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The current key set, re-read at most once per <see cref="RefreshInterval"/> and at every period boundary.</summary>
    /// <exception cref="StoreException">The store cannot be read and no key set was read before.</exception>
    public TokenSigningKeys Current()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_current is null || now >= _nextCheck)
            {
                var period = PeriodOf(now);
                try
                {
                    // TokenServerOptions.SigningKeys is synchronous; this blocks once a minute per node, bounded by the
                    // store's statement timeout, never per request.
                    _current = RefreshAsync(now, period).AsTask().GetAwaiter().GetResult();
                    var boundary = PeriodStart(period + 1);
                    _nextCheck = now + RefreshInterval < boundary ? now + RefreshInterval : boundary;
                }
                catch (StoreException) when (_current is not null)
                {
                    // The keys read last are still valid (the previous one is published for Overlap): sign and verify
                    // with them, retry shortly rather than on every request.
                    _nextCheck = now + TimeSpan.FromSeconds(5);
                }
            }

            return _current;
        }
    }

    private async ValueTask<TokenSigningKeys> RefreshAsync(DateTimeOffset now, long period)
    {
        var records = await store.ListAsync(period - 1).ConfigureAwait(false);
        var added = false;
        if (!records.Any(r => r.Period == period))
        {
            // Insert-if-absent: of nodes rotating at once one key wins, and all re-read it below.
            await store.TryAddAsync(Create(period, now)).ConfigureAwait(false);
            await store.DeleteBeforeAsync(period - 1).ConfigureAwait(false);
            added = true;
        }

        if (PeriodStart(period + 1) - now <= PrePublish && !records.Any(r => r.Period == period + 1))
        {
            await store.TryAddAsync(Create(period + 1, now)).ConfigureAwait(false);
            added = true;
        }

        if (added)
        {
            records = await store.ListAsync(period - 1).ConfigureAwait(false);
        }

        // Newest first: the pre-published next key, the current one, the previous one during its overlap.
        var published = records
            .Where(r => r.Period == period + 1 || r.Period == period || (r.Period == period - 1 && now - PeriodStart(period) < Overlap))
            .ToList();
        var currentKeyId = published.FirstOrDefault(r => r.Period == period)?.KeyId
            ?? throw new StoreException("The current token signing key is missing from the store.");
        if (_current is not null && _current.CurrentKeyId == currentKeyId
            && _current.Published.Select(p => p.KeyId).SequenceEqual(published.Select(r => r.KeyId), StringComparer.Ordinal))
        {
            return _current; // unchanged: same instance, so the resource's verification keys are not rebuilt
        }

        // Keys of the previous set are not disposed: requests may still be signing with them.
        var keys = published.Select(r => (r.KeyId, _opened.TryGetValue(r.KeyId, out var k) ? k : Open(r))).ToList();
        _opened.Clear();
        foreach (var (keyId, key) in keys)
        {
            _opened[keyId] = key;
        }

        return new TokenSigningKeys(currentKeyId, _opened[currentKeyId], keys);
    }

    private SoftwareSigningKey Open(TokenSigningKeyRecord record)
    {
        var pem = open(record.SealedPrivateKey);
        try
        {
            return SoftwareSigningKey.FromPem(Encoding.ASCII.GetString(pem));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pem);
        }
    }

    private TokenSigningKeyRecord Create(long period, DateTimeOffset now)
    {
        var keyId = $"{Prefix}{now.ToUnixTimeSeconds()}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        using var key = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
        var pem = Encoding.ASCII.GetBytes(key.ExportPkcs8Pem());
        try
        {
            return new TokenSigningKeyRecord(period, keyId, now, seal(pem));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pem);
        }
    }

    private long PeriodOf(DateTimeOffset now) => (now - DateTimeOffset.UnixEpoch).Ticks / RotationPeriod.Ticks;

    private DateTimeOffset PeriodStart(long period) => DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(period * RotationPeriod.Ticks);
}
