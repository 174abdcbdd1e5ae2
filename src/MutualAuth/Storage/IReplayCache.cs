namespace MutualAuth.Storage;

/// <summary>
/// Remembers values that may be used once (signature nonces, DPoP <c>jti</c>s) until they expire. A store operation,
/// so that nodes sharing a store refuse a value replayed to another node.
/// </summary>
public interface IReplayCache
{
    /// <summary>
    /// Records <paramref name="value"/> in <paramref name="scope"/> (e.g. the keyid) until <paramref name="expires"/>, atomically.
    /// Returns false when it is already recorded and not yet expired: a replay.
    /// </summary>
    /// <param name="scope">What the value is unique within (at most 256 characters).</param>
    /// <param name="value">The once-only value (at most 256 characters).</param>
    /// <param name="expires">When the record may be forgotten: after that, the message carrying it is refused anyway.</param>
    /// <param name="now">The current time, to purge expired records.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="StoreException">The store cannot be written.</exception>
    ValueTask<bool> TryAddAsync(string scope, string value, DateTimeOffset expires, DateTimeOffset now, CancellationToken cancellationToken = default);
}
