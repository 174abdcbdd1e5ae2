namespace MutualAuth.Storage;

/// <summary>
/// A certificate store shared by several nodes that also keeps the CRL signed last, so that every node serves the same
/// CRL (the highest number wins) and hears when it changes.
/// </summary>
public interface ISharedCrlStore
{
    /// <summary>Keeps <paramref name="crlPem"/> as the shared CRL when <paramref name="crlNumber"/> is higher than the kept one's.</summary>
    /// <returns>Whether it was kept.</returns>
    /// <exception cref="StoreException">The store cannot be written.</exception>
    Task<bool> PublishCrlAsync(long crlNumber, string crlPem, CancellationToken cancellationToken = default);

    /// <summary>The shared CRL (PEM), or <see langword="null"/> when none was published.</summary>
    /// <exception cref="StoreException">The store cannot be read.</exception>
    Task<string?> GetPublishedCrlAsync(CancellationToken cancellationToken = default);
}
