using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using MutualAuth.AspNetCore.Tls;
using MutualAuth.Authentication;
using MutualAuth.Certificates;
using MutualAuth.Http;
using MutualAuth.Testing;

namespace MutualAuth.AspNetCore.Tests.Tls;

public sealed class ClientCertificateHandshakeValidatorTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task The_handshake_never_fetches_a_missing_issuer_from_the_clients_aia_url()
    {
        // A client whose intermediate is neither sent nor known to the server, and whose AIA caIssuers URL points at a
        // listener here: the platform's default chain build would download from it, inside the handshake.
        using var aia = new TcpListener(IPAddress.Loopback, 0);
        aia.Start();
        var aiaUrl = $"http://127.0.0.1:{((IPEndPoint)aia.LocalEndpoint).Port}/issuer.cer";
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var notBefore = TestPki.Now.AddDays(-1);
        var notAfter = TestPki.Now.AddDays(30);
        using var root = Authority(new CertificateRequest("CN=AIA Root", rootKey, HashAlgorithmName.SHA256)).CreateSelfSigned(notBefore, notAfter);
        using var intermediate = Authority(new CertificateRequest("CN=AIA Intermediate", intermediateKey, HashAlgorithmName.SHA256))
            .Create(root, notBefore, notAfter, [1]).CopyWithPrivateKey(intermediateKey);
        var leafRequest = new CertificateRequest("CN=aia-client", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(Oids.ClientAuth)], false));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [aiaUrl]));
        using var leafPublic = leafRequest.Create(intermediate, notBefore, notAfter, [2]);
        using var leaf = X509CertificateLoader.LoadPkcs12(leafPublic.CopyWithPrivateKey(leafKey).Export(X509ContentType.Pkcs12), null);
        var policy = new TrustPolicy { TrustAnchors = [root], Revocation = RevocationMode.None, Purpose = CertificatePurpose.ClientAuthentication };
        using var server = _pki.Server();
        await using var gateway = await InProcessGateway.Start(_pki, server, () => policy);
        using var client = new HttpClient(MutualTlsHttpHandler.Create(new MutualTlsClientOptions { ClientCertificate = leaf, ServerTrust = _pki.ServerPolicy() }, _pki.Time));
        var fetched = aia.AcceptTcpClientAsync();

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetStringAsync(new Uri(gateway.BaseAddress, "/whoami")));

        var events = gateway.Audit.ListRecent(10);
        Assert.NotEmpty(events); // HttpClient may retry; every attempt is refused
        Assert.All(events, e => Assert.Equal(AuditDecision.Refuse, e.Decision));
        var first = await Task.WhenAny(fetched, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.False(first == fetched, "the server fetched the client's AIA URL");
    }

    [Fact]
    public void Of_what_a_client_sends_only_the_intermediates_its_verified_path_used_are_remembered_for_resumption()
    {
        // A client may send extra certificates with its chain; remembering them would let it grow the server's memory
        // with every handshake (each with new junk), even when it is then refused as revoked.
        using var alice = _pki.Client("alice");
        using var mallory = _pki.Client("mallory");
        var crl = _pki.Crl(mallory);
        var validator = new ClientCertificateHandshakeValidator(() => _pki.ClientPolicy(crl), new DiscardingAuditSink(), NullLogger<ClientCertificateHandshakeValidator>.Instance, _pki.Time);

        for (var i = 0; i < 20; i++)
        {
            Assert.True(Handshake(validator, alice.Certificate, [_pki.Intermediate, .. Junk(3)]));
            Assert.False(Handshake(validator, mallory.Certificate, [_pki.Intermediate, .. Junk(3)]));
        }

        Assert.Equal(2, validator.Intermediates.Count);
        Assert.Equal(1, validator.Intermediates.IntermediateCount);
        Assert.Equal(_pki.Intermediate.RawData, Assert.Single(validator.Intermediates.Recall(alice.Certificate)).RawData);
    }

    private static bool Handshake(ClientCertificateHandshakeValidator validator, X509Certificate2 leaf, IEnumerable<X509Certificate2> sent)
    {
        var ssl = new SslServerAuthenticationOptions();
        validator.Apply(new DefaultConnectionContext(), ssl);
        using var chain = new X509Chain();
        chain.ChainPolicy.ExtraStore.AddRange(sent.ToArray());
        return ssl.RemoteCertificateValidationCallback!(new object(), leaf, chain, SslPolicyErrors.None);
    }

    private static IEnumerable<X509Certificate2> Junk(int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            yield return Authority(new CertificateRequest($"CN=Junk {Guid.NewGuid()}", key, HashAlgorithmName.SHA256)).CreateSelfSigned(TestPki.Now.AddDays(-1), TestPki.Now.AddDays(1));
        }
    }

    private sealed class DiscardingAuditSink : IAuditSink
    {
        public void Record(AuditEvent auditEvent)
        {
        }
    }

    private static CertificateRequest Authority(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }
}
