using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;

namespace MutualAuth.Http;

/// <summary>
/// How a client authenticates with a certificate and verifies the server. The server is checked against
/// <see cref="ServerTrust"/> only (explicit anchors, optional SPKI pins, host name) during the TLS
/// handshake, before any request byte is sent.
/// </summary>
public sealed class MutualTlsClientOptions
{
    /// <summary>The client certificate with its private key. Required.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>Intermediates sent after the client certificate.</summary>
    public X509Certificate2Collection ClientCertificateChain { get; } = [];

    /// <summary>
    /// How the server is verified. <see cref="TrustPolicy.Purpose"/> is forced to server authentication.
    /// Required: at least one trust anchor.
    /// </summary>
    public TrustPolicy? ServerTrust { get; set; }

    /// <summary>The name the server certificate must carry; defaults to the host of the request URI.</summary>
    public string? ExpectedServerName { get; set; }

    /// <summary>Checks required settings.</summary>
    /// <exception cref="InvalidOperationException">A required setting is missing.</exception>
    public void Validate()
    {
        if (ClientCertificate is null || !ClientCertificate.HasPrivateKey)
        {
            throw new InvalidOperationException("A client certificate with its private key is required.");
        }

        if (ServerTrust is null || ServerTrust.TrustAnchors.Count == 0)
        {
            throw new InvalidOperationException("At least one trust anchor for the server is required.");
        }
    }
}
