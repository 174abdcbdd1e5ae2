using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Scram;

/// <summary>Channel-binding data for -PLUS mechanisms (RFC 5802 §6): the type (<c>tls-server-end-point</c>, RFC 5929) and the bytes.</summary>
/// <param name="Type">The channel-binding type name.</param>
/// <param name="Data">The channel-binding data (for tls-server-end-point, the hash of the server certificate).</param>
public sealed record ScramChannelBinding(string Type, byte[] Data)
{
    /// <summary>The only channel-binding type used: <c>tls-unique</c> is undefined for TLS 1.3 and never used.</summary>
    public const string TlsServerEndPointType = "tls-server-end-point";

    /// <summary>
    /// The <c>tls-server-end-point</c> binding of a server certificate (RFC 5929 §4.1), or null when its signature
    /// algorithm defines no hash (e.g. Ed25519): then -PLUS is neither offered nor accepted.
    /// </summary>
    /// <param name="serverCertificate">The server's (leaf) certificate, as sent in the TLS handshake.</param>
    public static ScramChannelBinding? TlsServerEndPoint(X509Certificate2 serverCertificate)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        HashAlgorithmName? hash = serverCertificate.SignatureAlgorithm.Value switch
        {
            "1.2.840.113549.1.1.4" or "1.2.840.113549.1.1.5" or "1.2.840.10045.4.1" or "1.3.14.3.2.29" => HashAlgorithmName.SHA256, // MD5 or SHA-1
            "1.2.840.113549.1.1.11" or "1.2.840.10045.4.3.2" => HashAlgorithmName.SHA256,
            "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
            "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
            _ => null,
        };
        return hash is { } name ? new ScramChannelBinding(TlsServerEndPointType, CryptographicOperations.HashData(name, serverCertificate.RawData)) : null;
    }
}
