using System.Globalization;
using System.Net;

namespace MutualAuth.Cli.Commands;

/// <summary>
/// One <c>--resolve HOST:PORT:ADDR[,ADDR…]</c>, as curl's: connections to HOST:PORT go to ADDR, while SNI, the Host header
/// and the server name check keep HOST.
/// </summary>
internal sealed record ResolveEntry(string Host, int Port, IReadOnlyList<IPAddress> Addresses)
{
    /// <exception cref="CliException">Not HOST:PORT:ADDR with a port and IP addresses (exit 2).</exception>
    public static ResolveEntry Parse(string text)
    {
        // HOST may be a bracketed IPv6 literal; ADDR an IPv4 address or an IPv6 one, bracketed or not.
        var hostEnd = text.StartsWith('[') ? text.IndexOf("]:", StringComparison.Ordinal) + 1 : text.IndexOf(':', StringComparison.Ordinal);
        var portEnd = hostEnd > 0 ? text.IndexOf(':', hostEnd + 1) : -1;
        var addresses = portEnd > 0 ? text[(portEnd + 1)..].Split(',').Select(a => IPAddress.TryParse(a.Trim('[', ']'), out var ip) ? ip : null).ToList() : [];
        return hostEnd > 0 && portEnd > 0
            && int.TryParse(text[(hostEnd + 1)..portEnd], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            && addresses.Count > 0 && !addresses.Contains(null)
            ? new ResolveEntry(text[..hostEnd].Trim('[', ']'), port, addresses!)
            : throw CliException.Usage($"--resolve '{text}' is not HOST:PORT:ADDR (e.g. api.example:443:127.0.0.1; several ADDRs separated by ',').");
    }

    /// <summary>The addresses for <paramref name="endpoint"/> from the first entry that names its host and port, or null (resolve as usual).</summary>
    public static IReadOnlyList<IPAddress>? Find(IEnumerable<ResolveEntry> entries, DnsEndPoint endpoint) =>
        entries.FirstOrDefault(e => e.Port == endpoint.Port && string.Equals(e.Host, endpoint.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase))?.Addresses;
}
