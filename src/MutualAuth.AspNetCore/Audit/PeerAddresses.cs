using System.Net;

namespace MutualAuth.AspNetCore.Audit;

/// <summary>The one format of a peer's address in logs and audit events.</summary>
internal static class PeerAddresses
{
    // IP:port for every method, as the TLS handshake has always recorded it: the port tells two connections from one
    // address (a NAT, a proxy) apart, and IPv6 gets brackets ([::1]:443) so the port cannot be read as part of it.
    public static string? Format(EndPoint? endPoint) => endPoint switch
    {
        null => null,
        IPEndPoint ip => ip.ToString(),
        _ => endPoint.ToString(),
    };

    /// <summary>See <see cref="Format(EndPoint?)"/>.</summary>
    public static string? Format(IPAddress? address, int port) => address is null ? null : Format(new IPEndPoint(address, port));
}
