using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MutualAuth.Cli.Tests.Commands;

/// <summary>How <see cref="ScriptedTlsServer"/> treats each connection.</summary>
internal enum ServerBehaviour
{
    /// <summary>TLS, then one HTTP/1.1 answer with the status and body given.</summary>
    Answer,

    /// <summary>Accepts the TCP connection and never says anything (no TLS handshake).</summary>
    AcceptOnly,

    /// <summary>Completes the TLS handshake, reads the request and never answers.</summary>
    HandshakeOnly,

    /// <summary>Answers the status line and headers, then never sends the promised body.</summary>
    HeadersOnly,

    /// <summary>Speaks plain HTTP, no TLS.</summary>
    PlainHttp,

    /// <summary>Asks for a client certificate and refuses every one (and a connection without one) in the TLS handshake.</summary>
    RefuseClientCertificates,
}

/// <summary>A server on 127.0.0.1 scripted to answer, or not, as a test needs; client certificates are not asked for.</summary>
internal sealed class ScriptedTlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly SslStreamCertificateContext _certificate;
    private readonly ServerBehaviour _behaviour;
    private readonly int _status;
    private readonly string _body;
    private readonly Task _loop;

    private readonly string _headers;

    public ScriptedTlsServer(X509Certificate2 certificate, X509Certificate2Collection chain, ServerBehaviour behaviour, int status = 200, string body = "hello", string headers = "")
    {
        _headers = headers;
        _certificate = SslStreamCertificateContext.Create(certificate, [.. chain.Skip(1)], offline: true);
        _behaviour = behaviour;
        _status = status;
        _body = body;
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>The server name (SNI) the last client asked for in its TLS handshake.</summary>
    public string? LastServerName { get; private set; }

    /// <summary>The request line and header fields the last client sent.</summary>
    public string? LastRequestHead { get; private set; }

    public string Url(string path = "/whoami") => $"https://localhost:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}";

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient connection;
            try
            {
                connection = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.Add(connection);
            }

            _ = Task.Run(() => Serve(connection));
        }
    }

    private async Task Serve(TcpClient connection)
    {
        try
        {
            if (_behaviour == ServerBehaviour.AcceptOnly)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }

            Stream stream = connection.GetStream();
            if (_behaviour != ServerBehaviour.PlainHttp)
            {
                var refuse = _behaviour == ServerBehaviour.RefuseClientCertificates;
                var tls = refuse ? new SslStream(stream, false, (_, _, _, _) => false) : new SslStream(stream, false);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = _certificate, ClientCertificateRequired = refuse }, _stop.Token);
                stream = tls;
                LastServerName = tls.TargetHostName;
            }

            if (_behaviour == ServerBehaviour.PlainHttp)
            {
                // A plain-HTTP server answers a TLS ClientHello (no blank line in it) with its 400 at once.
                _ = await stream.ReadAsync(new byte[4096], _stop.Token);
            }
            else
            {
                LastRequestHead = await ReadHead(stream);
            }

            if (_behaviour == ServerBehaviour.HandshakeOnly)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }

            var body = Encoding.UTF8.GetBytes(_body);
            var head = $"HTTP/1.1 {_status} Status{_status}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length + (_behaviour == ServerBehaviour.HeadersOnly ? 100 : 0)}\r\nConnection: close\r\n{_headers}\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
            if (_behaviour == ServerBehaviour.HeadersOnly)
            {
                await stream.FlushAsync(_stop.Token);
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }

            await stream.WriteAsync(body, _stop.Token);
            await stream.FlushAsync(_stop.Token);
            await stream.DisposeAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            // The client gave up, the handshake was refused, or the test ended.
        }
        finally
        {
            connection.Dispose();
        }
    }

    private static async Task<string> ReadHead(Stream stream)
    {
        var seen = new List<byte>();
        var buffer = new byte[1];
        while (seen.Count < 65536 && await stream.ReadAsync(buffer) == 1)
        {
            seen.Add(buffer[0]);
            if (seen.Count >= 4 && seen[^4] == '\r' && seen[^3] == '\n' && seen[^2] == '\r' && seen[^1] == '\n')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString([.. seen]);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        lock (_connections)
        {
            _connections.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }
}
