namespace MutualAuth.Storage;

/// <summary>
/// Single-use, short-lived WebAuthn values (ceremony challenges, enrolment invitations). A store operation, so that a
/// challenge issued by one node is used once across all nodes sharing the store.
/// </summary>
public interface IWebAuthnChallengeStore
{
    /// <summary>Stores <paramref name="payload"/> under the new random <paramref name="id"/> until <paramref name="expires"/>.</summary>
    /// <param name="id">A random identifier (at most 128 characters).</param>
    /// <param name="purpose">What it is for (<c>register</c>, <c>login</c>, <c>invite</c>); taken only for the same purpose.</param>
    /// <param name="payload">The ceremony state (at most 64 KiB).</param>
    /// <param name="expires">When it stops being usable.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="StoreException">The store cannot be written.</exception>
    Task AddAsync(string id, string purpose, string payload, DateTimeOffset expires, CancellationToken cancellationToken = default);

    /// <summary>Removes and returns the payload of <paramref name="id"/> for <paramref name="purpose"/> if it has not expired at <paramref name="now"/>, atomically; else null.</summary>
    Task<string?> TakeAsync(string id, string purpose, DateTimeOffset now, CancellationToken cancellationToken = default);
}
