using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using MutualAuth.Authentication;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.AspNetCore.Tests.Tls;

/// <summary>
/// TLS 1.3 session resumption on the gateway: resumed sessions keep (and re-check) the client identity, TLS 1.2 keeps
/// its ECDHE+AEAD suites, and a ClientHello that cannot be read falls back to the strict settings. The client
/// certificates chain through the test CA's intermediate, which is not in the trust policy: the gateway must use what
/// the client sent, also on resumption, where the client sends nothing.
/// </summary>
public sealed class SessionResumptionTests : IDisposable
{
    private static readonly TlsCipherSuite[] EcdheAeadSuites =
    [
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private static SslClientAuthenticationOptions Options(IssuedCertificate client, IssuedCertificate server, SslProtocols protocols = SslProtocols.None,
        CipherSuitesPolicy? cipherSuites = null, bool sendIntermediate = true, bool resume = true) =>
        TlsProbe.Options(TestPki.WithKey(client), sendIntermediate ? [client.Issuer] : [], server.Certificate, protocols, cipherSuites, resume);

    /// <summary>A resumed handshake: the server's flight lacks at least its certificate.</summary>
    private static void AssertResumed(TlsProbeResult full, TlsProbeResult resumed, IssuedCertificate server) =>
        Assert.True(resumed.ServerHandshakeBytes < full.ServerHandshakeBytes - server.Certificate.RawData.Length, $"full: {full}\nsecond: {resumed}");

    private static void AssertFull(TlsProbeResult full, TlsProbeResult second, IssuedCertificate server) =>
        Assert.True(second.ServerHandshakeBytes > full.ServerHandshakeBytes - server.Certificate.RawData.Length, $"full: {full}\nsecond: {second}");

    private static int Accepted(InProcessGateway gateway, IssuedCertificate client) => gateway.Audit.ListRecent(100)
        .Count(e => e.Decision == AuditDecision.Accept && e.CredentialId == SerialNumbers.Normalize(client.Certificate.SerialNumber));

    [Fact]
    public async Task A_tls13_client_resumes_its_session_and_whoami_still_names_it()
    {
        using var server = _pki.Server();
        using var alice = _pki.Client("alice");
        await using var gateway = await InProcessGateway.Start(_pki, server);
        var options = Options(alice, server);

        var full = await TlsProbe.Get(gateway.BaseAddress.Port, options);
        var resumed = await TlsProbe.Get(gateway.BaseAddress.Port, options);
        var again = await TlsProbe.Get(gateway.BaseAddress.Port, options);

        Assert.True(full.Answered200, full.ToString());
        Assert.Equal(SslProtocols.Tls13, resumed.Protocol);
        AssertResumed(full, resumed, server);
        AssertResumed(full, again, server);
        Assert.True(resumed.Answered200, resumed.ToString());
        Assert.Contains("\"subject\": \"alice\"", resumed.Response, StringComparison.Ordinal);
        Assert.Contains("\"method\": \"mtls\"", resumed.Response, StringComparison.Ordinal);
        Assert.Contains("\"subject\": \"alice\"", again.Response, StringComparison.Ordinal);
        // The handshake validation ran (and was audited) on every connection, the resumed ones included.
        Assert.Equal(3, Accepted(gateway, alice));
    }

    [Fact]
    public async Task A_client_revoked_after_its_ticket_was_issued_cannot_resume_into_a_request()
    {
        using var server = _pki.Server();
        using var alice = _pki.Client("alice");
        var policy = _pki.ClientPolicy();
        await using var gateway = await InProcessGateway.Start(_pki, server, () => Volatile.Read(ref policy));
        var options = Options(alice, server);
        var full = await TlsProbe.Get(gateway.BaseAddress.Port, options);
        Assert.True(full.Answered200, full.ToString());

        Volatile.Write(ref policy, _pki.ClientPolicy(_pki.Crl(alice)));
        var refused = await TlsProbe.Get(gateway.BaseAddress.Port, options);

        AssertResumed(full, refused, server);
        Assert.DoesNotContain("HTTP/1.1", refused.Response, StringComparison.Ordinal);
        var revoked = gateway.Audit.ListRecent(100).Single(e => e.Decision == AuditDecision.Refuse);
        Assert.Equal("revoked", revoked.ReasonCode);
        Assert.Equal(SerialNumbers.Normalize(alice.Certificate.SerialNumber), revoked.CredentialId);
    }

    // SslStream (.NET 10.0.12) takes its verdict on the client certificate after the TLS 1.3 handshake, by which time
    // OpenSSL has sent its session tickets: a refused client holds a ticket, and its second attempt here is a resumed
    // handshake (server flight of ≈ 256 bytes instead of ≈ 1,330). It must be refused again, for the same reason.
    [Fact]
    public async Task A_client_refused_for_revocation_stays_refused_for_revocation_when_it_comes_back()
    {
        using var server = _pki.Server();
        using var mallory = _pki.Client("mallory");
        var crl = _pki.Crl(mallory);
        await using var gateway = await InProcessGateway.Start(_pki, server, () => _pki.ClientPolicy(crl));
        var options = Options(mallory, server);

        var first = await TlsProbe.Get(gateway.BaseAddress.Port, options);
        var second = await TlsProbe.Get(gateway.BaseAddress.Port, options);

        Assert.False(first.Answered200, first.ToString());
        Assert.False(second.Answered200, second.ToString());
        var refusals = gateway.Audit.ListRecent(100);
        Assert.Equal(2, refusals.Count);
        Assert.All(refusals, e => Assert.Equal(("revoked", AuditDecision.Refuse), (e.ReasonCode, e.Decision)));
    }

    [Fact]
    public async Task A_client_refused_for_sending_no_certificate_stays_refused_when_it_comes_back()
    {
        using var server = _pki.Server();
        await using var gateway = await InProcessGateway.Start(_pki, server);
        var options = TlsProbe.Options(null, [], server.Certificate);

        var first = await TlsProbe.Get(gateway.BaseAddress.Port, options);
        var second = await TlsProbe.Get(gateway.BaseAddress.Port, options);

        Assert.False(first.Answered200, first.ToString());
        Assert.False(second.Answered200, second.ToString());
        Assert.All(gateway.Audit.ListRecent(100), e => Assert.Equal(("no-certificate", AuditDecision.Refuse), (e.ReasonCode, e.Decision)));
    }

    [Fact]
    public async Task Remembered_intermediates_serve_resumed_sessions_only_not_a_full_handshake_without_them()
    {
        using var server = _pki.Server();
        using var alice = _pki.Client("alice");
        await using var gateway = await InProcessGateway.Start(_pki, server);
        var accepted = await TlsProbe.Get(gateway.BaseAddress.Port, Options(alice, server));
        Assert.True(accepted.Answered200, accepted.ToString());

        var leafOnly = await TlsProbe.Get(gateway.BaseAddress.Port, Options(alice, server, sendIntermediate: false, resume: false));

        Assert.False(leafOnly.Answered200, leafOnly.ToString());
        Assert.Single(gateway.Audit.ListRecent(100), e => e.Decision == AuditDecision.Refuse);
    }

    [Fact]
    public async Task A_tls12_client_gets_an_ecdhe_aead_suite_its_identity_and_no_ticket()
    {
        using var server = _pki.Server();
        using var alice = _pki.Client("alice");
        await using var gateway = await InProcessGateway.Start(_pki, server);
        var options = Options(alice, server, SslProtocols.Tls12);

        var first = await TlsProbe.Get(gateway.BaseAddress.Port, options);
        var second = await TlsProbe.Get(gateway.BaseAddress.Port, options);

        Assert.Equal(SslProtocols.Tls12, first.Protocol);
        Assert.Contains(first.CipherSuite, EcdheAeadSuites);
        Assert.Contains("\"subject\": \"alice\"", first.Response, StringComparison.Ordinal);
        Assert.True(second.Answered200, second.ToString());
        AssertFull(first, second, server);
    }

    [Fact]
    public async Task A_tls12_client_offering_only_cbc_suites_is_refused()
    {
        using var server = _pki.Server();
        using var alice = _pki.Client("alice");
        await using var gateway = await InProcessGateway.Start(_pki, server);
        var cbcOnly = new CipherSuitesPolicy(
        [
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        ]);

        var result = await TlsProbe.Get(gateway.BaseAddress.Port, Options(alice, server, SslProtocols.Tls12, cbcOnly));

        Assert.Equal(SslProtocols.None, result.Protocol);
        Assert.Empty(result.Response);
    }

    [Fact]
    public async Task A_client_hello_split_over_two_records_gets_a_full_handshake_with_the_strict_settings()
    {
        using var server = _pki.Server();
        using var alice = _pki.Client("alice");
        await using var gateway = await InProcessGateway.Start(_pki, server);
        var options = Options(alice, server);
        var full = await TlsProbe.Get(gateway.BaseAddress.Port, options);

        // The client now offers its ticket, in a hello the gateway cannot read from the first record alone.
        var split = await TlsProbe.Get(gateway.BaseAddress.Port, options, rewriteFirstWrite: hello => ClientHellos.SplitIntoTwoRecords(hello, 40));

        Assert.True(split.Answered200, split.ToString());
        Assert.Equal(SslProtocols.Tls13, split.Protocol);
        Assert.Contains("\"subject\": \"alice\"", split.Response, StringComparison.Ordinal);
        AssertFull(full, split, server);
    }

    public static TheoryData<string, byte[]> Junk()
    {
        var data = new TheoryData<string, byte[]>();
        var hello = ClientHellos.Build(preSharedKey: true);
        var random = new Random(5246);
        var garbled = (byte[])hello.Clone();
        for (var i = 50; i < garbled.Length; i += 7)
        {
            garbled[i] = (byte)random.Next(256);
        }

        data.Add("TLS 1.3 hello with garbled fields", garbled);
        var lying = (byte[])hello.Clone();
        lying[^40] = 0xFF;
        data.Add("TLS 1.3 hello with a lying extension length", lying);
        data.Add("TLS 1.3 hello cut short, then closed", hello[..60]);
        data.Add("HTTP/1.1 in clear", "GET /whoami HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        var bytes = new byte[4096];
        random.NextBytes(bytes);
        data.Add("random bytes", bytes);
        return data;
    }

    [Theory]
    [MemberData(nameof(Junk))]
    public async Task Junk_instead_of_a_client_hello_is_refused_and_the_gateway_keeps_serving(string what, byte[] junk)
    {
        using var server = _pki.Server();
        using var alice = _pki.Client("alice");
        await using var gateway = await InProcessGateway.Start(_pki, server);

        var answer = await SendRaw(gateway.BaseAddress.Port, junk);
        var after = await TlsProbe.Get(gateway.BaseAddress.Port, Options(alice, server));

        Assert.DoesNotContain("HTTP/1.1", answer, StringComparison.Ordinal);
        Assert.True(after.Answered200, $"{what}: {after}");
    }

    /// <summary>Sends bytes, half-closes, and returns what came back until the server closed.</summary>
    private static async Task<string> SendRaw(int port, byte[] data)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        await socket.SendAsync(data, timeout.Token);
        socket.Shutdown(SocketShutdown.Send);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // Reset by the server: refused.
        }

        return System.Text.Encoding.Latin1.GetString(received.ToArray());
    }
}
