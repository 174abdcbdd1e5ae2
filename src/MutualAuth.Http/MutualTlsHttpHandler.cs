using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Authentication;
using MutualAuth.Certificates;

namespace MutualAuth.Http;

/// <summary>
/// Creates the primary handler of a mutual TLS client: it presents the client certificate and verifies the server with
/// <see cref="ChainValidator"/> during the handshake (TLS 1.2/1.3, no cookies).
/// </summary>
public static class MutualTlsHttpHandler
{
    /// <summary>Builds the handler.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="timeProvider">Clock for certificate validity.</param>
    /// <exception cref="InvalidOperationException">The options are incomplete.</exception>
    public static SocketsHttpHandler Create(MutualTlsClientOptions options, TimeProvider timeProvider) => Create(options, timeProvider, null);

    /// <summary>Builds the handler and records each verified server certificate in <paramref name="verified"/> (for SCRAM -PLUS).</summary>
    internal static SocketsHttpHandler Create(MutualTlsClientOptions options, TimeProvider timeProvider, VerifiedServerCertificates? verified)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        var validator = new ChainValidator(timeProvider);
        var policy = options.ServerTrust! with { Purpose = CertificatePurpose.ServerAuthentication };
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = options.ConnectTimeout,

            // No implicit cookie jar: a server's cookies would otherwise be replayed on every later request, which
            // defeats ScramClientOptions.UseSessions = false (ScramHttpHandler keeps its session cookie itself).
            UseCookies = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                ClientCertificateContext = options.ClientCertificate is null ? null : SslStreamCertificateContext.Create(options.ClientCertificate, options.ClientCertificateChain, offline: true),
                RemoteCertificateValidationCallback = (sender, certificate, chain, _) =>
                {
                    var host = options.ExpectedServerName ?? (sender as SslStream)?.TargetHostName;
                    var leaf = certificate as X509Certificate2 ?? (certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                    var sent = chain?.ChainPolicy.ExtraStore.Cast<X509Certificate2>().ToList() ?? [];
                    var result = validator.Validate(leaf, sent, policy, string.IsNullOrEmpty(host) ? null : host);
                    if (result.IsValid)
                    {
                        options.ServerChainVerified?.Invoke(string.IsNullOrEmpty(host) ? null : host, leaf!, sent);
                        var target = (sender as SslStream)?.TargetHostName ?? "";
                        verified?.Record(target, leaf!);
                        options.ServerVerified?.Invoke(target, leaf!);
                    }

                    return result.IsValid ? true : throw Refused(result);
                },
            },
        };
        if (options.ResolveAddresses is { } resolve)
        {
            handler.ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, resolve(context.DnsEndPoint), cancellationToken);
        }

        if (options.TlsEstablished is { } established)
        {
            handler.PlaintextStreamFilter = (context, _) =>
            {
                if (context.PlaintextStream is SslStream tls)
                {
                    established(tls);
                }

                return ValueTask.FromResult(context.PlaintextStream);
            };
        }

        return handler;
    }

    /// <summary>Connects to <paramref name="addresses"/> when given (in order), else to the resolved host, as SocketsHttpHandler does.</summary>
    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, IReadOnlyList<IPAddress>? addresses, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (addresses is { Count: > 0 })
            {
                await socket.ConnectAsync([.. addresses], endpoint.Port, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static MutualAuthenticationException Refused(ChainValidationResult result) =>
        new(AuthenticationMethods.MutualTls, new ReasonCode(result.Code), RefusingParty.Client, result.Code + ": " + result.Detail);
}
