using MutualAuth.Certificates;
using MutualAuth.Http;

namespace MutualAuth.Testing;

/// <summary>HttpClients that present a test certificate and verify the server.</summary>
internal static class TestHttpClients
{
    public static HttpClient Create(TestPki pki, IssuedCertificate client, TrustPolicy? serverTrust = null, string? expectedName = null)
    {
        var options = new MutualTlsClientOptions
        {
            ClientCertificate = TestPki.WithKey(client),
            ServerTrust = serverTrust ?? pki.ServerPolicy(),
            ExpectedServerName = expectedName,
        };
        options.ClientCertificateChain.Add(client.Issuer);
        return new HttpClient(new ServerVerificationHandler { InnerHandler = MutualTlsHttpHandler.Create(options, pki.Time) });
    }

    /// <summary>The transport of <see cref="Create"/>, to put other handlers in front of.</summary>
    public static HttpMessageHandler Handler(TestPki pki, IssuedCertificate client)
    {
        var options = new MutualTlsClientOptions { ClientCertificate = TestPki.WithKey(client), ServerTrust = pki.ServerPolicy() };
        options.ClientCertificateChain.Add(client.Issuer);
        return new ServerVerificationHandler { InnerHandler = MutualTlsHttpHandler.Create(options, pki.Time) };
    }

    /// <summary>The transport of <see cref="ServerOnly"/>.</summary>
    public static HttpMessageHandler ServerOnlyHandler(TestPki pki) =>
        new ServerVerificationHandler { InnerHandler = MutualTlsHttpHandler.Create(new MutualTlsClientOptions { ServerTrust = pki.ServerPolicy() }, pki.Time) };

    /// <summary>A client that verifies the server and presents no certificate.</summary>
    public static HttpClient ServerOnly(TestPki pki) =>
        new(new ServerVerificationHandler { InnerHandler = MutualTlsHttpHandler.Create(new MutualTlsClientOptions { ServerTrust = pki.ServerPolicy() }, pki.Time) });
}
