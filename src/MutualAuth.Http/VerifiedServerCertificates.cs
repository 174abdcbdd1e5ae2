using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Http;

/// <summary>
/// The last server certificate that passed verification per host, recorded by the mutual TLS handler and read by the
/// SCRAM handler for the tls-server-end-point binding of -PLUS.
/// </summary>
internal sealed class VerifiedServerCertificates
{
    private readonly ConcurrentDictionary<string, X509Certificate2> _byHost = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Records <paramref name="leaf"/> as the verified certificate of <paramref name="host"/>.</summary>
    public void Record(string host, X509Certificate2 leaf) => _byHost[host] = leaf;

    /// <summary>The verified certificate of the request URI's host, or null when no TLS handshake with it succeeded.</summary>
    // Keyed by host because the TLS callback knows only the target host name; every certificate recorded passed the same
    // verification, so a host served by several certificates can only make -PLUS fail, never bind to an unverified one.
    public X509Certificate2? Find(Uri uri) => _byHost.GetValueOrDefault(uri.IdnHost);
}
