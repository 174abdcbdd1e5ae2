namespace MutualAuth.Storage;

/// <summary>The registered OAuth 2.0 clients (<c>mutualauth client …</c>).</summary>
public interface IOAuthClientStore
{
    /// <summary>Registers a client; false when the client_id is taken.</summary>
    /// <exception cref="StoreException">The store cannot be written.</exception>
    Task<bool> AddAsync(OAuthClientRecord client, CancellationToken cancellationToken = default);

    /// <summary>The client with <paramref name="clientId"/>, or null.</summary>
    Task<OAuthClientRecord?> FindAsync(string clientId, CancellationToken cancellationToken = default);

    /// <summary>Every client, by client_id.</summary>
    Task<IReadOnlyList<OAuthClientRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces a client's keys (rotation); false when it is not registered.</summary>
    Task<bool> ReplaceKeysAsync(string clientId, string jwks, CancellationToken cancellationToken = default);

    /// <summary>Removes a client; false when it is not registered.</summary>
    Task<bool> RemoveAsync(string clientId, CancellationToken cancellationToken = default);
}
