namespace MutualAuth.Storage;

/// <summary>Registered client keys for HTTP Message Signatures, by <c>keyid</c>.</summary>
public interface ISignatureKeyStore
{
    /// <summary>Registers a key.</summary>
    /// <exception cref="StoreException">The store cannot be written, or the keyid exists.</exception>
    void Add(SignatureKeyRecord key);

    /// <summary>The key with <paramref name="keyId"/>, usable or not, or null.</summary>
    SignatureKeyRecord? Find(string keyId);

    /// <summary>All keys, or those of <paramref name="client"/>, newest first.</summary>
    IReadOnlyList<SignatureKeyRecord> List(string? client = null);

    /// <summary>Ends a key's validity at <paramref name="notAfter"/> (rotation overlap). Returns false when there is no such key.</summary>
    bool Expire(string keyId, DateTimeOffset notAfter);

    /// <summary>Revokes a key at <paramref name="at"/>. Returns false when there is no such key or it was already revoked.</summary>
    bool Revoke(string keyId, DateTimeOffset at);
}
