using System.Net.Security;
using System.Security.Authentication;

namespace MutualAuth.AspNetCore.Tls;

/// <summary>TLS settings shared by the gateway: TLS 1.2 and 1.3 only, and for TLS 1.2 only ECDHE with AEAD ciphers.</summary>
internal static class TlsDefaults
{
    /// <summary>Only TLS 1.3, for clients whose ClientHello offers it (see <see cref="Choose"/>).</summary>
    internal const SslProtocols Tls13Only = SslProtocols.Tls13;

    /// <summary>TLS 1.2 and TLS 1.3.</summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The cipher suites offered, or <see langword="null"/> where the platform decides (Windows).</summary>
    public static CipherSuitesPolicy? CipherSuites { get; } = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()
        ? new CipherSuitesPolicy(
        [
            TlsCipherSuite.TLS_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ])
        : null;

    /// <summary>
    /// The protocols and cipher suites for one connection: TLS 1.3 alone without a suite policy when its ClientHello
    /// offers TLS 1.3, else TLS 1.2 and 1.3 with <see cref="CipherSuites"/>.
    /// </summary>
    /// <param name="offer">What the client offered.</param>
    // Every TLS 1.3 suite is an AEAD (RFC 8446 §B.4) and the key exchange is (EC)DHE, also on resumption (OpenSSL
    // accepts a PSK only with psk_dhe_ke unless SSL_OP_ALLOW_NO_DHE_KEX is set, RFC 8446 §4.2.9); on Linux SslStream
    // caches the server's SSL_CTX, and with it the session-ticket key, only when no policy is set, so only then can
    // its session tickets be resumed. Whatever the inspection concludes, a connection without the policy cannot
    // negotiate TLS 1.2: a wrong guess costs that connection its handshake or its resumption, never a weaker suite.
    internal static (SslProtocols Protocols, CipherSuitesPolicy? CipherSuites) Choose(ClientHelloOffer offer) =>
        offer.OffersTls13 ? (Tls13Only, null) : (Protocols, CipherSuites);
}
