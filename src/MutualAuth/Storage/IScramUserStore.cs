using MutualAuth.Scram;

namespace MutualAuth.Storage;

/// <summary>
/// SCRAM verifiers per user and mechanism hash (never passwords), by the user name's SASLprep form
/// (<see cref="ScramCredential.TryPrepareUserName"/>).
/// </summary>
public interface IScramUserStore
{
    /// <summary>Adds or replaces the verifiers of <paramref name="userName"/> atomically.</summary>
    /// <exception cref="ArgumentException">SASLprep refuses the user name.</exception>
    /// <exception cref="StoreException">The store cannot be written.</exception>
    Task SaveAsync(string userName, IReadOnlyList<ScramCredential> credentials, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The verifier of a user for a mechanism's hash, or <see langword="null"/> (also for a name SASLprep refuses).</summary>
    ValueTask<ScramCredential?> FindAsync(string userName, ScramMechanism mechanism, CancellationToken cancellationToken = default);

    /// <summary>
    /// The iteration counts and salt lengths of the stored verifiers of <paramref name="mechanism"/>'s hash, with how many
    /// verifiers have each: unknown users get shapes drawn from them (<see cref="ScramServer"/>), so a server-first
    /// message tells nobody whether a user exists.
    /// </summary>
    /// <exception cref="StoreException">The store cannot be read.</exception>
    ValueTask<IReadOnlyList<ScramCredentialShape>> ShapesAsync(ScramMechanism mechanism, CancellationToken cancellationToken = default);

    /// <summary>Removes a user. Returns <see langword="false"/> when there was none.</summary>
    Task<bool> RemoveAsync(string userName, CancellationToken cancellationToken = default);

    /// <summary>User names with the mechanisms they have verifiers for, sorted by name.</summary>
    Task<IReadOnlyList<(string UserName, IReadOnlyList<string> Mechanisms, DateTimeOffset UpdatedAt)>> ListAsync(CancellationToken cancellationToken = default);
}
