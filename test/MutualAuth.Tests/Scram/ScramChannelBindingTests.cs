using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Authentication.ExtendedProtection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Scram;
using MutualAuth.Testing;

namespace MutualAuth.Tests.Scram;

public sealed class ScramChannelBindingTests
{
    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256, 32)]
    [InlineData(KeyAlgorithm.EcdsaP384, 48)]
    [InlineData(KeyAlgorithm.Rsa3072, 32)]
    public async Task Tls_server_end_point_matches_what_the_platform_binds_to_the_connection(KeyAlgorithm algorithm, int hashSize)
    {
        using var pki = new TestPki(algorithm);
        using var issued = pki.Server();
        using var certificate = TestPki.WithKey(issued);

        var ours = ScramChannelBinding.TlsServerEndPoint(certificate)!;
        var platform = await PlatformEndpointBinding(certificate);

        Assert.Equal(ScramChannelBinding.TlsServerEndPointType, ours.Type);
        Assert.Equal(hashSize, ours.Data.Length);
        Assert.Equal(platform, ours.Data);
    }

    [Fact]
    public void A_certificate_whose_signature_hash_is_not_read_gives_no_binding()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=pss", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        using var pss = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal("1.2.840.113549.1.1.10", pss.SignatureAlgorithm.Value);
        Assert.Null(ScramChannelBinding.TlsServerEndPoint(pss));
    }

    /// <summary>
    /// <c>TransportContext.GetChannelBinding(Endpoint)</c> on the client side of a real TLS connection: a 32-byte
    /// SEC_CHANNEL_BINDINGS header, then <c>tls-server-end-point:</c>, then the hash.
    /// </summary>
    private static async Task<byte[]> PlatformEndpointBinding(X509Certificate2 certificate)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var clientTcp = new TcpClient();
        var connect = clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var serverTcp = await listener.AcceptTcpClientAsync();
        await connect;
        await using var server = new SslStream(serverTcp.GetStream());
        await using var client = new SslStream(clientTcp.GetStream());
        await Task.WhenAll(
            server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }),
            client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetRawCertData().AsSpan().SequenceEqual(certificate.RawData) == true }));
        using var binding = client.TransportContext.GetChannelBinding(ChannelBindingKind.Endpoint)!;
        var bytes = new byte[binding.Size];
        Marshal.Copy(binding.DangerousGetHandle(), bytes, 0, bytes.Length);
        return bytes[(32 + "tls-server-end-point:".Length)..];
    }
}
