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
    void Save(string userName, IReadOnlyList<ScramCredential> credentials, DateTimeOffset at);

    /// <summary>The verifier of a user for a mechanism's hash, or <see langword="null"/> (also for a name SASLprep refuses).</summary>
    ScramCredential? Find(string userName, ScramMechanism mechanism);

    /// <summary>Removes a user. Returns <see langword="false"/> when there was none.</summary>
    bool Remove(string userName);

    /// <summary>User names with the mechanisms they have verifiers for, sorted by name.</summary>
    IReadOnlyList<(string UserName, IReadOnlyList<string> Mechanisms, DateTimeOffset UpdatedAt)> List();
}
