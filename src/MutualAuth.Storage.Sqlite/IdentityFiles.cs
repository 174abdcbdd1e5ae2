namespace MutualAuth.Storage.Sqlite;

/// <summary>The PEM files of one identity in the data folder.</summary>
/// <param name="Directory">The identity's folder.</param>
public sealed record IdentityFiles(string Directory)
{
    /// <summary>The identity's name (the folder name).</summary>
    public string Name => Path.GetFileName(Directory);

    /// <summary>Leaf certificate.</summary>
    public string CertificatePath => Path.Combine(Directory, "cert.pem");

    /// <summary>Private key (0600).</summary>
    public string KeyPath => Path.Combine(Directory, "key.pem");

    /// <summary>Leaf followed by the intermediate.</summary>
    public string ChainPath => Path.Combine(Directory, "chain.pem");

    /// <summary>The root certificate to verify the other side with.</summary>
    public string CaPath => Path.Combine(Directory, "ca.pem");

    /// <summary>Whether the certificate and key exist.</summary>
    public bool Exists => File.Exists(CertificatePath) && File.Exists(KeyPath);
}
