using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MutualAuth.Testing;

/// <summary>What one <see cref="TlsProbe"/> connection saw.</summary>
/// <param name="ServerHandshakeBytes">Bytes the server sent until the client's handshake completed (or failed).</param>
/// <param name="Protocol">The negotiated protocol (None when the handshake failed).</param>
/// <param name="CipherSuite">The negotiated cipher suite.</param>
/// <param name="Response">The HTTP response text; empty when none came.</param>
/// <param name="Error">Why the handshake or the exchange failed, if it did.</param>
internal sealed record TlsProbeResult(long ServerHandshakeBytes, SslProtocols Protocol, TlsCipherSuite CipherSuite, string Response, string? Error)
{
    public bool Answered200 => Response.StartsWith("HTTP/1.1 200", StringComparison.Ordinal);

    public override string ToString() => $"{Protocol} {CipherSuite}, server handshake {ServerHandshakeBytes} bytes, error {Error ?? "-"}\n{Response}";
}

/// <summary>
/// A bare SslStream client that sends one <c>GET /whoami</c> per connection and counts the bytes the server sent
/// during the handshake: a full TLS 1.3 handshake carries the server's certificate chain, a resumed one does not. With
/// <see cref="SslClientAuthenticationOptions.AllowTlsResume"/> (the default) and a client certificate context, .NET
/// offers the last ticket it received for the target host.
/// </summary>
internal static class TlsProbe
{
    /// <summary>Client options: this certificate (with key; null for none) and intermediates, the server pinned by its leaf.</summary>
    public static SslClientAuthenticationOptions Options(X509Certificate2? certificate, IEnumerable<X509Certificate2> intermediates, X509Certificate2 serverLeaf,
        SslProtocols protocols = SslProtocols.None, CipherSuitesPolicy? cipherSuites = null, bool resume = true) => new()
        {
            TargetHost = "localhost",
            ClientCertificateContext = certificate is null ? null : SslStreamCertificateContext.Create(certificate, [.. intermediates], offline: true),
            EnabledSslProtocols = protocols,
            CipherSuitesPolicy = cipherSuites,
            AllowTlsResume = resume,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(serverLeaf.RawData),
        };

    /// <summary>Connects, handshakes, sends <c>GET path</c> and reads the answer until the server closes.</summary>
    /// <param name="port">The server's loopback port.</param>
    /// <param name="options">The client options (see <see cref="Options"/>).</param>
    /// <param name="path">The path asked for.</param>
    /// <param name="rewriteFirstWrite">Changes the client's first write (its ClientHello) before it is sent.</param>
    public static async Task<TlsProbeResult> Get(int port, SslClientAuthenticationOptions options, string path = "/whoami", Func<byte[], byte[]>? rewriteFirstWrite = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        var counting = new CountingStream(new NetworkStream(socket, ownsSocket: false), rewriteFirstWrite);
        await using var tls = new SslStream(counting);
        try
        {
            await tls.AuthenticateAsClientAsync(options, timeout.Token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return new TlsProbeResult(counting.BytesRead, SslProtocols.None, default, "", e.Message);
        }

        var handshakeBytes = counting.BytesRead;
        var response = new MemoryStream();
        string? error = null;
        try
        {
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), timeout.Token);
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await tls.ReadAsync(buffer, timeout.Token)) > 0)
            {
                response.Write(buffer, 0, read);
            }
        }
        catch (IOException e)
        {
            // Kestrel closes without close_notify after Connection: close; a refused session is closed at once.
            error = response.Length == 0 ? e.Message : null;
        }

        return new TlsProbeResult(handshakeBytes, tls.SslProtocol, tls.NegotiatedCipherSuite, Encoding.UTF8.GetString(response.ToArray()), error);
    }
}
