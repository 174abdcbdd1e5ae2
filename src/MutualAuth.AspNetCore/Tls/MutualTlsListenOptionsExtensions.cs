using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.AspNetCore.Tls;
using MutualAuth.Authentication;

#pragma warning disable IDE0130 // Kestrel's own ListenOptions extensions live in this namespace.
namespace Microsoft.AspNetCore.Hosting;
#pragma warning restore IDE0130

/// <summary>Mutual TLS on a Kestrel endpoint: the client certificate is validated inside the handshake.</summary>
public static class MutualTlsListenOptionsExtensions
{
    /// <summary>How long a client has to send its first TLS record, and then to complete the handshake.</summary>
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Serves HTTPS (TLS 1.2/1.3, AEAD suites) with <paramref name="serverCertificate"/> and validates the client
    /// certificate in the handshake against the trust policy of <paramref name="authenticationScheme"/> (docs/mtls.md).
    /// </summary>
    /// <param name="listen">The endpoint.</param>
    /// <param name="serverCertificate">The server certificate with its private key.</param>
    /// <param name="serverChain">Intermediates sent after the server certificate.</param>
    /// <param name="authenticationScheme">The scheme whose <see cref="MutualTlsOptions.TrustPolicy"/> is used.</param>
    /// <param name="allowNoCertificate">Also accept handshakes without a client certificate (a presented one must still pass).</param>
    public static ListenOptions UseMutualTls(this ListenOptions listen, X509Certificate2 serverCertificate, X509Certificate2Collection? serverChain = null,
        string authenticationScheme = MutualTlsDefaults.AuthenticationScheme, bool allowNoCertificate = false)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        var certificate = SslStreamCertificateContext.Create(serverCertificate, serverChain ?? [], offline: true);
        return listen.UseMutualTls(() => certificate, authenticationScheme, allowNoCertificate);
    }

    /// <summary>
    /// As <see cref="UseMutualTls(ListenOptions, X509Certificate2, X509Certificate2Collection?, string, bool)"/>, asking
    /// for the server certificate at every handshake (e.g. <see cref="MutualAuth.AspNetCore.TrustMaterial.FileServerCertificateSource"/>).
    /// </summary>
    /// <param name="listen">The endpoint.</param>
    /// <param name="serverCertificate">Returns the certificate context for the next handshake.</param>
    /// <param name="authenticationScheme">The scheme whose <see cref="MutualTlsOptions.TrustPolicy"/> is used.</param>
    /// <param name="allowNoCertificate">
    /// Also accept handshakes without a client certificate, for routes that authenticate otherwise (e.g. SCRAM);
    /// a certificate that is presented must still pass.
    /// </param>
    public static ListenOptions UseMutualTls(this ListenOptions listen, Func<SslStreamCertificateContext> serverCertificate,
        string authenticationScheme = MutualTlsDefaults.AuthenticationScheme, bool allowNoCertificate = false)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(serverCertificate);
        ClientCertificateHandshakeValidator? validator = null;
        listen.Use(next => new ClientHelloMiddleware(next, HandshakeTimeout,
            listen.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger<ClientHelloMiddleware>()).OnConnectionAsync);
        return listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = HandshakeTimeout,
            OnConnection = context =>
            {
                validator ??= CreateValidator(listen.ApplicationServices, authenticationScheme);
                var (protocols, cipherSuites) = TlsDefaults.Choose(ClientHelloMiddleware.OfferOf(context.Connection));
                var ssl = new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = serverCertificate(),
                    EnabledSslProtocols = protocols,
                    CipherSuitesPolicy = cipherSuites,
                    ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                };
                validator.Apply(context.Connection, ssl, allowNoCertificate);
                return ValueTask.FromResult(ssl);
            },
        });
    }

    private static ClientCertificateHandshakeValidator CreateValidator(IServiceProvider services, string scheme)
    {
        var options = services.GetRequiredService<IOptionsMonitor<MutualTlsOptions>>();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        return new ClientCertificateHandshakeValidator(
            () => (options.Get(scheme).TrustPolicy ?? throw new InvalidOperationException($"The mutual TLS scheme '{scheme}' has no trust policy; call AddMutualTls."))(),
            services.GetRequiredService<IAuditSink>(),
            services.GetRequiredService<ILogger<ClientCertificateHandshakeValidator>>(),
            time);
    }
}
