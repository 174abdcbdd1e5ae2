namespace MutualAuth.Storage;

/// <summary>
/// SCRAM exchanges waiting for client-final: a store operation, so that the two round trips of one login may reach
/// different nodes sharing the store. Each exchange is taken at most once.
/// </summary>
public interface IScramExchangeStore
{
    /// <summary>
    /// Stores <paramref name="exchange"/> unless <paramref name="capacity"/> live exchanges exist, or
    /// <paramref name="perAddress"/> live ones from its address; expired ones do not count.
    /// </summary>
    /// <returns><see langword="false"/> when a bound is reached (the caller answers 503).</returns>
    /// <exception cref="StoreException">The store cannot be written.</exception>
    ValueTask<bool> TryAddAsync(ScramPendingExchange exchange, int capacity, int perAddress, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Removes and returns exchange <paramref name="id"/>, atomically: of concurrent callers at most one gets it.</summary>
    /// <returns><see langword="null"/> when it is unknown, already taken or expired at <paramref name="now"/>.</returns>
    /// <exception cref="StoreException">The store cannot be read.</exception>
    ValueTask<ScramPendingExchange?> TakeAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default);
}
