using System.Net;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Http;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;

namespace MutualAuth.Cli.Tests.Commands;

/// <summary>
/// The single-node replay cache of a real <c>serve</c> (in memory, written behind to SQLite, reloaded at start-up):
/// a signed request accepted before a restart is refused as a replay after it.
/// </summary>
public sealed class ServeReplayCacheTests : IDisposable
{
    private readonly CliTempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_signed_request_accepted_before_a_restart_is_refused_after_it(bool crash)
    {
        var key = await _folder.Run("key", "create", "--client", "bob");
        Assert.True(key.ExitCode == 0, key.ToString());
        var serve = await ServeProcess.Start(_folder.Data, "--route", "/=sig");
        try
        {
            HttpRequestMessage? first = null;
            using var signed = new HttpClient(new HttpSignatureHandler(Options()) { InnerHandler = new Capture(r => first ??= r, Transport()) });
            using var accepted = await signed.GetAsync(serve.Url());
            Assert.True(accepted.StatusCode == HttpStatusCode.OK, serve.Output);
            if (crash)
            {
                // A crash after the flush interval (20 ms) has passed: the value was written.
                await Task.Delay(500);
            }

            var restarted = await serve.Restart(crash);
            await serve.DisposeAsync();
            serve = restarted;
            using var raw = new HttpClient(Transport());
            using var replay = new HttpRequestMessage(HttpMethod.Get, first!.RequestUri);
            foreach (var header in first.Headers.NonValidated)
            {
                replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            using var replayed = await raw.SendAsync(replay);

            Assert.True(replayed.StatusCode == HttpStatusCode.Unauthorized, serve.Output);
            Assert.True(await serve.WaitForOutput("replayed-nonce"), serve.Output);
        }
        finally
        {
            await serve.DisposeAsync();
        }
    }

    private HttpSignatureClientOptions Options()
    {
        var credential = SignatureCredential.Load(new DataFolder(_folder.Data).ClientCredentialPath("bob"));
        return new HttpSignatureClientOptions
        {
            KeyId = credential.KeyId,
            Key = credential.ClientKey(),
            ServerKeyId = credential.ServerKeyId,
            ServerKey = credential.ServerKey(),
        };
    }

    private SocketsHttpHandler Transport() => MutualTlsHttpHandler.Create(new MutualTlsClientOptions
    {
        ServerTrust = new TrustPolicy
        {
            TrustAnchors = [X509CertificateLoader.LoadCertificateFromFile(new DataFolder(_folder.Data).RootCertificatePath)],
            Purpose = CertificatePurpose.ServerAuthentication,
            Revocation = RevocationMode.None,
        },
    }, TimeProvider.System);

    /// <summary>Hands each request to <paramref name="seen"/> before sending it.</summary>
    private sealed class Capture(Action<HttpRequestMessage> seen, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
