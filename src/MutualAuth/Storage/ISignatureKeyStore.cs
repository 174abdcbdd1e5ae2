namespace MutualAuth.Storage;

/// <summary>Registered client keys for HTTP Message Signatures, by <c>keyid</c>.</summary>
public interface ISignatureKeyStore
{
    /// <summary>Registers a key.</summary>
    /// <exception cref="StoreException">The store cannot be written, or the keyid exists.</exception>
    Task AddAsync(SignatureKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>The key with <paramref name="keyId"/>, usable or not, or null.</summary>
    ValueTask<SignatureKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken = default);

    /// <summary>All keys, or those of <paramref name="client"/>, newest first.</summary>
    Task<IReadOnlyList<SignatureKeyRecord>> ListAsync(string? client = null, CancellationToken cancellationToken = default);

    /// <summary>Ends a key's validity at <paramref name="notAfter"/> (rotation overlap). Returns false when there is no such key.</summary>
    Task<bool> ExpireAsync(string keyId, DateTimeOffset notAfter, CancellationToken cancellationToken = default);

    /// <summary>Revokes a key at <paramref name="at"/>. Returns false when there is no such key or it was already revoked.</summary>
    Task<bool> RevokeAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken = default);
}
