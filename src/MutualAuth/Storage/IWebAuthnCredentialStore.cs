namespace MutualAuth.Storage;

/// <summary>Registered WebAuthn credentials, by credential id and by user.</summary>
public interface IWebAuthnCredentialStore
{
    /// <summary>Registers a credential. Returns false when its id is already registered.</summary>
    /// <exception cref="StoreException">The store cannot be written.</exception>
    Task<bool> AddAsync(WebAuthnCredentialRecord credential, CancellationToken cancellationToken = default);

    /// <summary>The credential with <paramref name="credentialId"/>, or null.</summary>
    Task<WebAuthnCredentialRecord?> FindAsync(byte[] credentialId, CancellationToken cancellationToken = default);

    /// <summary>The credentials of <paramref name="userName"/>, oldest first.</summary>
    Task<IReadOnlyList<WebAuthnCredentialRecord>> ListAsync(string userName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a login: the new counter and BS flag, only if the stored counter is still <paramref name="previousSignCount"/>
    /// (two logins racing with one counter value cannot both pass). Returns false otherwise.
    /// </summary>
    Task<bool> RecordUseAsync(byte[] credentialId, uint previousSignCount, uint signCount, bool backedUp, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Removes the credential of <paramref name="userName"/> with <paramref name="credentialId"/>, or all theirs when null. Returns how many.</summary>
    Task<int> RemoveAsync(string userName, byte[]? credentialId = null, CancellationToken cancellationToken = default);
}
