using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MutualAuth.Benchmarks;

/// <summary>
/// <c>tls-server --port P --cert CHAIN.pem --key KEY.pem [--cipher-suites-policy]</c>: a bare SslStream TLS 1.3 server
/// (no Kestrel, no ASP.NET Core, no validation beyond what SslStream does by itself: the callback accepts any client
/// certificate) that requires a client certificate, reads one request and answers <c>200</c> with the client's subject,
/// then closes. A reference point for <c>handshakes</c>: what one handshake costs in SslStream itself, and whether
/// setting a <see cref="CipherSuitesPolicy"/> (as serve does) stops TLS 1.3 session resumption. Runs until killed.
/// </summary>
internal static class BareTlsServer
{
    public const string Command = "tls-server";

    public static async Task<int> Run(string[] args)
    {
        string Required(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : throw new ArgumentException($"{name} is required");
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(Required("--cert"));
        using var leaf = X509Certificate2.CreateFromPemFile(Required("--cert"), Required("--key"));
        using var certificate = X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pkcs12), null);
        var context = SslStreamCertificateContext.Create(certificate, new X509Certificate2Collection(chain.Skip(1).ToArray()), offline: true);
        var policy = args.Contains("--cipher-suites-policy") && !OperatingSystem.IsWindows()
            ? new CipherSuitesPolicy([TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256])
            : null;
        var listener = new TcpListener(IPAddress.Loopback, int.Parse(Required("--port"), CultureInfo.InvariantCulture));
        listener.Start();
        Console.WriteLine($"tls-server: listening on {listener.LocalEndpoint}, CipherSuitesPolicy {(policy is null ? "not set" : "set")}");
        while (true)
        {
            var client = await listener.AcceptTcpClientAsync();
            _ = Task.Run(() => Serve(client, context, policy));
        }
    }

    private static async Task Serve(TcpClient client, SslStreamCertificateContext context, CipherSuitesPolicy? policy)
    {
        using var connection = client;
        connection.NoDelay = true;
        await using var tls = new SslStream(connection.GetStream());
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = context,
                EnabledSslProtocols = SslProtocols.Tls13,
                CipherSuitesPolicy = policy,
                ClientCertificateRequired = true,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            });
            var buffer = new byte[4096];
            _ = await tls.ReadAsync(buffer);
            var body = $"{{\"subject\":\"{tls.RemoteCertificate?.Subject}\"}}";
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
            await tls.ShutdownAsync();
        }
        catch (Exception e) when (e is IOException or AuthenticationException or SocketException)
        {
            await Console.Error.WriteLineAsync($"tls-server: {e.Message}");
        }
    }
}
