namespace MutualAuth.AspNetCore.Tls;

/// <summary>
/// What a client offered in its first TLS record, as far as the server's per-connection choices need it; the default
/// (an unreadable record) leads to the strict settings.
/// </summary>
/// <param name="OffersTls13">
/// The ClientHello lists TLS 1.3 (0x0304) in supported_versions (RFC 8446 §4.2.1) and at least one of the TLS 1.3
/// cipher suites the gateway accepts (RFC 8446 §B.4: 0x1301, 0x1302, 0x1303).
/// </param>
/// <param name="OffersPreSharedKey">
/// The ClientHello carries a pre_shared_key extension (RFC 8446 §4.2.11): the client tries to resume a session,
/// so the server may complete the handshake without a client Certificate message.
/// </param>
internal readonly record struct ClientHelloOffer(bool OffersTls13, bool OffersPreSharedKey)
{
    /// <summary>Nothing known: the strict settings apply.</summary>
    public static ClientHelloOffer None => default;
}
