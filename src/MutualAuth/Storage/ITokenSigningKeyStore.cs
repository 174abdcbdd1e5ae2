namespace MutualAuth.Storage;

/// <summary>
/// The authorization server's token signing keys shared by several nodes: one key per rotation period, the first
/// node to add a period's key wins and every node reads the winner. Private keys arrive sealed (never plaintext).
/// </summary>
internal interface ITokenSigningKeyStore
{
    /// <summary>Adds <paramref name="key"/> unless its period already has a key; false when another node's key won.</summary>
    /// <exception cref="StoreException">The store cannot be written.</exception>
    ValueTask<bool> TryAddAsync(TokenSigningKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>The keys of periods from <paramref name="fromPeriod"/> on, newest first.</summary>
    /// <exception cref="StoreException">The store cannot be read.</exception>
    ValueTask<IReadOnlyList<TokenSigningKeyRecord>> ListAsync(long fromPeriod, CancellationToken cancellationToken = default);

    /// <summary>Deletes the keys of periods before <paramref name="period"/>.</summary>
    /// <exception cref="StoreException">The store cannot be written.</exception>
    ValueTask DeleteBeforeAsync(long period, CancellationToken cancellationToken = default);
}
