using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MutualAuth.Keys;

namespace MutualAuth.AspNetCore.TrustMaterial;

/// <summary>
/// The server's certificate, key and intermediates from PEM files, reloaded when the files change or on
/// <see cref="Reload"/>; a certificate without serverAuth or with a key that does not match is refused.
/// </summary>
public sealed class FileServerCertificateSource
{
    private readonly ReloadingFileSource<Loaded> _source;

    /// <summary>Loads the files once.</summary>
    /// <param name="chainPath">PEM: the server certificate first, then its intermediates.</param>
    /// <param name="keyPath">PEM private key of the certificate.</param>
    /// <param name="timeProvider">Clock for the check interval.</param>
    /// <param name="logger">Log for reloads, optional.</param>
    /// <exception cref="TrustMaterialException">The files cannot be read, do not match or are not a server certificate.</exception>
    public FileServerCertificateSource(string chainPath, string keyPath, TimeProvider timeProvider, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(chainPath);
        ArgumentException.ThrowIfNullOrEmpty(keyPath);
        _source = new ReloadingFileSource<Loaded>(() => [chainPath, keyPath], _ => Load(chainPath, keyPath, null),
            Describe, timeProvider, logger);
    }

    /// <summary>
    /// As the public constructor, with a key the caller holds (e.g. on a PKCS#11 token) instead of a key file; only the
    /// chain file is watched. The key stays the caller's and must outlive this source.
    /// </summary>
    internal FileServerCertificateSource(string chainPath, SigningKey key, TimeProvider timeProvider, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(chainPath);
        ArgumentNullException.ThrowIfNull(key);
        _source = new ReloadingFileSource<Loaded>(() => [chainPath], _ => Load(chainPath, "(held key)", key), Describe, timeProvider, logger);
    }

    /// <summary>The certificate now in use (with its private key).</summary>
    public X509Certificate2 Certificate => _source.Current().Certificate;

    /// <summary>The TLS context for the next handshake.</summary>
    public SslStreamCertificateContext Current() => _source.Current().Context;

    /// <summary>Reloads the files now; a failure keeps the previous certificate.</summary>
    /// <returns>Whether the reload succeeded.</returns>
    public bool Reload() => _source.Reload();

    private static string Describe(Loaded l) =>
        $"server certificate '{l.Certificate.Subject}', serial {l.Certificate.SerialNumber}, valid until {l.Certificate.NotAfter.ToUniversalTime():u}";

    private static Loaded Load(string chainPath, string keyPath, SigningKey? heldKey)
    {
        try
        {
            var chainPem = BoundedFile.ReadAllText(chainPath, 1024 * 1024);
            var all = new X509Certificate2Collection();
            all.ImportFromPem(chainPem);
            if (all.Count == 0)
            {
                throw new CryptographicException("The file holds no PEM certificate.");
            }

            if (all[0].PublicKey.Oid.Value is "1.3.101.112" or "1.3.101.113")
            {
                // OpenSSL would do TLS 1.3 with it, but .NET 10 cannot hold an EdDSA private key for SslStream.
                throw new TrustMaterialException($"'{chainPath}' is an {(all[0].PublicKey.Oid.Value == "1.3.101.112" ? "Ed25519" : "Ed448")} certificate, which .NET 10 cannot use for TLS: use an ECDSA (P-256, P-384) or RSA certificate.");
            }

            // Through the signing-key abstraction, so that a key kept in a token attaches the same way (docs/keys.md).
            using var fileKey = heldKey is null ? SoftwareSigningKey.FromPem(BoundedFile.ReadAllText(keyPath, 1024 * 1024)) : null;
            var certificate = (heldKey ?? fileKey!).CopyWithPrivateKey(all[0]);
            var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
            if (eku is null || !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == Certificates.Oids.ServerAuth))
            {
                throw new TrustMaterialException($"'{chainPath}' is not a server certificate: its extended key usage lacks serverAuth.");
            }

            var intermediates = new X509Certificate2Collection(all.Skip(1).ToArray());
            return new Loaded(certificate, SslStreamCertificateContext.Create(certificate, intermediates, offline: true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new TrustMaterialException($"Cannot load the server certificate '{chainPath}' with key '{keyPath}': {e.Message}", e);
        }
    }

    private sealed record Loaded(X509Certificate2 Certificate, SslStreamCertificateContext Context);
}
