using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

/// <summary>
/// TLS 1.3 session resumption against a running <c>serve</c>, with openssl s_client and with a .NET SslStream client:
/// the resumed connection still carries the client identity, and a client revoked meanwhile cannot resume.
/// </summary>
[Collection(GatewayTests.Name)]
public sealed class ResumptionTests(GatewayFixture fixture) : IDisposable
{
    private const string Request = "GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    private readonly string _sessions = Directory.CreateTempSubdirectory("mutualauth-sessions-").FullName;

    public void Dispose() => Directory.Delete(_sessions, recursive: true);

    /// <summary>
    /// One s_client connection that sends the request and reads until the server closes (<c>-ign_eof</c>): TLS 1.3 tickets
    /// arrive after the handshake, so the session file is only worth resuming once the answer was read.
    /// </summary>
    private Task<ProcessResult> SClient(string identity, params string[] extra)
    {
        var files = fixture.Identity(identity);
        return Tool.Run("openssl", ["s_client", "-connect", $"127.0.0.1:{fixture.Gateway.Port}", "-servername", "localhost", "-CAfile", fixture.RootPath,
            "-verify_return_error", "-tls1_3", "-ign_eof", "-cert", files.CertificatePath, "-key", files.KeyPath, "-cert_chain", files.ChainPath, .. extra], Request);
    }

    [Fact]
    public async Task Openssl_resumes_a_tls13_session_and_whoami_still_names_the_client()
    {
        var session = Path.Combine(_sessions, "alice.pem");

        var full = await SClient("alice", "-sess_out", session);
        var resumed = await SClient("alice", "-sess_in", session);

        Assert.Contains("New, TLSv1.3", full.StdOut, StringComparison.Ordinal);
        Assert.Contains("Reused, TLSv1.3", resumed.StdOut, StringComparison.Ordinal);
        Assert.Contains("Server Temp Key:", resumed.StdOut, StringComparison.Ordinal); // psk_dhe_ke: still forward secret
        Assert.Contains("HTTP/1.1 200", resumed.StdOut, StringComparison.Ordinal);
        Assert.Contains($"\"subject\": \"{GatewayFixture.AliceUri}\"", resumed.StdOut, StringComparison.Ordinal);
        Assert.Contains($"\"serial\": \"{fixture.Serials["alice"]}\"", resumed.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_revoked_while_serving_cannot_resume_its_session()
    {
        var issued = await fixture.Cli("ca", "issue", "client", "--name", "erin");
        var serial = issued.StdOut.Split("serial ")[1].Split(',')[0];
        var session = Path.Combine(_sessions, "erin.pem");
        var full = await SClient("erin", "-sess_out", session);
        Assert.Contains("HTTP/1.1 200", full.StdOut, StringComparison.Ordinal);

        await fixture.Cli("ca", "revoke", serial);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var refused = await SClient("erin", "-sess_in", session);

        Assert.Contains("Reused, TLSv1.3", refused.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP/1.1", refused.StdOut, StringComparison.Ordinal);
        Assert.True(await fixture.Gateway.WaitForOutput($"revoked: Certificate {serial} was revoked"), fixture.Gateway.Output);
    }

    [Fact]
    public async Task A_dotnet_client_resumes_and_keeps_its_identity()
    {
        var alice = fixture.Identity("alice");
        using var certificate = X509Certificate2.CreateFromPemFile(alice.CertificatePath, alice.KeyPath);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(alice.ChainPath);
        using var server = X509Certificate2.CreateFromPem(File.ReadAllText(fixture.Identity("server").CertificatePath));
        var options = TlsProbe.Options(certificate, chain.Skip(1), server);

        var full = await TlsProbe.Get(fixture.Gateway.Port, options);
        var resumed = await TlsProbe.Get(fixture.Gateway.Port, options);

        Assert.True(full.Answered200, full.ToString());
        Assert.Equal(SslProtocols.Tls13, resumed.Protocol);
        Assert.True(resumed.ServerHandshakeBytes < full.ServerHandshakeBytes - server.RawData.Length, $"full: {full}\nresumed: {resumed}");
        Assert.Contains($"\"subject\": \"{GatewayFixture.AliceUri}\"", resumed.Response, StringComparison.Ordinal);
    }
}
