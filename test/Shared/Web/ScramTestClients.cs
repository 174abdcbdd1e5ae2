using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Http;

namespace MutualAuth.Testing;

/// <summary>A SCRAM HttpClient that verifies the server certificate, records what it sends and can tamper with what it receives.</summary>
internal sealed class ScramTestClient : IDisposable
{
    public ScramTestClient(TestPki pki, string userName, string password, ChannelBindingPolicy binding = ChannelBindingPolicy.Preferred,
        IssuedCertificate? certificate = null, Func<Uri, X509Certificate2?>? serverCertificate = null, Func<HttpResponseMessage, HttpResponseMessage>? tamper = null)
    {
        var verified = new ConcurrentDictionary<string, X509Certificate2>(StringComparer.OrdinalIgnoreCase);
        var tls = new MutualTlsClientOptions
        {
            ClientCertificate = certificate is null ? null : TestPki.WithKey(certificate),
            ServerTrust = pki.ServerPolicy(),
            ServerVerified = (host, leaf) => verified[host] = leaf,
        };
        if (certificate is not null)
        {
            tls.ClientCertificateChain.Add(certificate.Issuer);
        }

        Recorder = new RecordingHandler(tamper) { InnerHandler = MutualTlsHttpHandler.Create(tls, pki.Time) };
        Client = new HttpClient(new ScramHttpHandler(new ScramClientOptions
        {
            UserName = userName,
            Password = () => password,
            ChannelBinding = binding,
            ServerCertificate = serverCertificate ?? (uri => verified.GetValueOrDefault(uri.IdnHost)),
        })
        {
            InnerHandler = Recorder,
        });
    }

    public HttpClient Client { get; }

    public RecordingHandler Recorder { get; }

    public void Dispose() => Client.Dispose();
}

/// <summary>Records the Authorization header of every request sent; optionally rewrites responses.</summary>
internal sealed class RecordingHandler(Func<HttpResponseMessage, HttpResponseMessage>? tamper) : DelegatingHandler
{
    public ConcurrentQueue<string?> Authorizations { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Authorizations.Enqueue(request.Headers.NonValidated.TryGetValues("Authorization", out var values) ? values.First() : null);
        var response = await base.SendAsync(request, cancellationToken);
        return tamper is null ? response : tamper(response);
    }
}
