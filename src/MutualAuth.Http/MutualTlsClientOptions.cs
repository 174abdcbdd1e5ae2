using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;

namespace MutualAuth.Http;

/// <summary>
/// How a client authenticates with a certificate and verifies the server against <see cref="ServerTrust"/> only, in the
/// TLS handshake, before any request byte is sent.
/// </summary>
public sealed class MutualTlsClientOptions
{
    /// <summary>
    /// The client certificate with its private key; <see langword="null"/> presents none (the server is still verified,
    /// and another method such as SCRAM authenticates the client).
    /// </summary>
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

    /// <summary>
    /// Called with the request host and the server's leaf certificate each time a server passes verification. SCRAM -PLUS
    /// does not need it when the chain comes from <c>AddMutualTls(…).AddScram(…)</c> or <see cref="MutualAuthHandlers"/>.
    /// </summary>
    public Action<string, X509Certificate2>? ServerVerified { get; set; }

    /// <summary>
    /// How long opening a connection may take: the TCP connect and the TLS handshake with the server's verification
    /// (<see cref="SocketsHttpHandler.ConnectTimeout"/>). Infinite by default.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>Addresses to connect to instead of resolving the host (curl's <c>--resolve</c>); SNI, the Host header and the name check keep the URL's host.</summary>
    internal Func<DnsEndPoint, IReadOnlyList<IPAddress>?>? ResolveAddresses { get; set; }

    /// <summary>Called with each server chain that passed verification: the name checked, the leaf and the certificates the server sent (call -v).</summary>
    internal Action<string?, X509Certificate2, IReadOnlyList<X509Certificate2>>? ServerChainVerified { get; set; }

    /// <summary>Called with each established TLS connection (call -v: protocol, cipher suite, peer address).</summary>
    internal Action<SslStream>? TlsEstablished { get; set; }

    /// <summary>Checks required settings.</summary>
    /// <exception cref="InvalidOperationException">A required setting is missing.</exception>
    public void Validate()
    {
        if (ClientCertificate is { HasPrivateKey: false })
        {
            throw new InvalidOperationException("The client certificate has no private key.");
        }

        if (ServerTrust is null || ServerTrust.TrustAnchors.Count == 0)
        {
            throw new InvalidOperationException("At least one trust anchor for the server is required.");
        }

        if (ConnectTimeout <= TimeSpan.Zero && ConnectTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new InvalidOperationException("The connect timeout must be positive or infinite.");
        }
    }
}
