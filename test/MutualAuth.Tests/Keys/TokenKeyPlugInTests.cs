using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using MutualAuth.Certificates;
using MutualAuth.MessageSignatures;
using MutualAuth.Testing;

namespace MutualAuth.Tests.Keys;

/// <summary>A key whose private part never leaves its token plugs in once, for the CA, CSRs, RFC 9421 and TLS.</summary>
public sealed class TokenKeyPlugInTests
{
    [Fact]
    public void A_ca_whose_keys_cannot_be_exported_issues_certificates_and_signs_crls()
    {
        var time = new FakeTimeProvider(TestPki.Now);
        using var rootKey = TokenLikeSigningKey.NonExportable(out var rootEcdsa);
        var intermediateKey = TokenLikeSigningKey.NonExportable(out var intermediateEcdsa);
        using var authority = CertificateAuthority.Create("Token", rootKey, intermediateKey, time);

        using var leaf = authority.Issue(new LeafRequest { CommonName = "alice", DnsNames = ["alice"], Profile = CertificateProfile.Client });
        var crl = CertificateRevocationList.Parse(authority.CreateCrl(
            [new RevokedCertificate(SerialNumbers.Normalize(leaf.Certificate.SerialNumber), TestPki.Now, X509RevocationReason.KeyCompromise)], 1, TimeSpan.FromDays(1)));
        var policy = new TrustPolicy { TrustAnchors = [authority.Root], Intermediates = [leaf.Issuer], Purpose = CertificatePurpose.ClientAuthentication, Revocation = RevocationMode.None };

        Assert.True(new ChainValidator(time).Validate(leaf.Certificate, [], policy).IsValid);
        Assert.True(crl.IsSignedBy(leaf.Issuer));
        Assert.Throws<InvalidOperationException>(authority.ExportIssuingKeyPem);
        Assert.Equal(0, rootEcdsa.ExportAttempts);
        Assert.Equal(0, intermediateEcdsa.ExportAttempts);
    }

    [Fact]
    public void A_ca_loaded_with_a_token_key_signs_for_a_csr_made_on_another_token()
    {
        using var pki = new TestPki();
        using var cardKey = TokenLikeSigningKey.NonExportable(out var cardEcdsa);
        var csr = cardKey.CreateCertificateRequest(new X500DistinguishedName("CN=card")).CreateSigningRequest();
        var request = CertificateRequest.LoadSigningRequest(csr, HashAlgorithmName.SHA256);

        using var issued = pki.Authority.Sign(new LeafRequest { CommonName = "card", DnsNames = ["card"], Profile = CertificateProfile.Client }, request.PublicKey);

        Assert.Equal(cardKey.ExportSubjectPublicKeyInfo(), issued.Certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(0, cardEcdsa.ExportAttempts);
    }

    [Fact]
    public void A_token_key_signs_rfc_9421_messages_that_verify_with_its_public_key()
    {
        using var tokenKey = TokenLikeSigningKey.NonExportable(out var ecdsa);
        using var signingKey = HttpSignatureKey.FromSigningKey(tokenKey, HttpSignatureAlgorithm.EcdsaP256Sha256);
        using var publicKey = HttpSignatureKey.FromPem(signingKey.ExportPublicKeyPem()!, HttpSignatureAlgorithm.EcdsaP256Sha256);
        var request = HttpMessageComponents.ForRequest("GET", new Uri("https://api.example/whoami"), []);
        var parameters = new MessageSigner().CreateParameters([ComponentIdentifier.Parse("\"@method\"")], "card-1", HttpSignatureAlgorithm.EcdsaP256Sha256);

        var signed = MessageSigner.Sign(request, "sig1", parameters, signingKey).AddTo(request);
        var result = new MessageVerifier(id => id == "card-1" ? publicKey : null).Verify(signed, new SignatureVerificationPolicy { Label = "sig1" });

        Assert.True(signingKey.CanSign);
        Assert.True(result.Succeeded, result.Failure.ToString());
        Assert.Throws<InvalidOperationException>(() => signingKey.ExportPrivateKeyPem());
        Assert.Equal(0, ecdsa.ExportAttempts);
        signingKey.Dispose();
        Assert.False(tokenKey.Disposed);
    }

    [Fact]
    public void A_key_of_the_wrong_type_for_the_rfc_9421_algorithm_is_refused()
    {
        using var tokenKey = TokenLikeSigningKey.NonExportable(out _);

        Assert.Throws<ArgumentException>(() => HttpSignatureKey.FromSigningKey(tokenKey, HttpSignatureAlgorithm.EcdsaP384Sha384));
        Assert.Throws<ArgumentException>(() => HttpSignatureKey.FromSigningKey(tokenKey, HttpSignatureAlgorithm.RsaPssSha512));
        Assert.Throws<ArgumentException>(() => HttpSignatureKey.FromSigningKey(tokenKey, HttpSignatureAlgorithm.HmacSha256));
    }

    [Fact]
    public async Task An_openssl_key_becomes_a_tls_client_certificate_by_reference_not_by_export()
    {
        using var pki = new TestPki();
        using var software = new ECDsaOpenSsl(ECCurve.NamedCurves.nistP256);

        // What the pkcs11 engine gives: an EVP_PKEY handle, wrapped in ECDsaOpenSsl.
        using var handle = software.DuplicateKeyHandle();
        using var tokenKey = new TokenLikeSigningKey(new ECDsaOpenSsl(handle));
        using var issued = pki.Authority.Sign(new LeafRequest { CommonName = "card", DnsNames = ["card"], Profile = CertificateProfile.Client }, tokenKey.PublicKey);

        using var clientCertificate = tokenKey.CopyWithPrivateKey(issued.Certificate);
        using var attached = (ECDsaOpenSsl)clientCertificate.GetECDsaPrivateKey()!;
        using var attachedHandle = attached.DuplicateKeyHandle();

        Assert.Equal(handle.DangerousGetHandle(), attachedHandle.DangerousGetHandle());
        Assert.Equal(clientCertificate.RawData, await ClientCertificateSeenByServer(pki, clientCertificate, issued.Issuer));
    }

    [Fact]
    public void A_key_that_is_not_an_openssl_key_can_only_be_attached_by_export()
    {
        // Why a token key must be an OpenSSL key: .NET copies any other key object into OpenSSL by exporting it.
        using var pki = new TestPki();
        using var tokenKey = TokenLikeSigningKey.NonExportable(out var ecdsa);
        using var issued = pki.Authority.Sign(new LeafRequest { CommonName = "card", DnsNames = ["card"], Profile = CertificateProfile.Client }, tokenKey.PublicKey);

        Assert.Throws<CryptographicException>(() => tokenKey.CopyWithPrivateKey(issued.Certificate));
        Assert.Equal(1, ecdsa.ExportAttempts);
    }

    private static async Task<byte[]?> ClientCertificateSeenByServer(TestPki pki, X509Certificate2 clientCertificate, X509Certificate2 intermediate)
    {
        using var server = pki.Server();
        using var serverCertificate = TestPki.WithKey(server);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var clientTcp = new TcpClient();
        var connect = clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var serverTcp = await listener.AcceptTcpClientAsync();
        await connect;
        await using var serverStream = new SslStream(serverTcp.GetStream());
        await using var clientStream = new SslStream(clientTcp.GetStream());
        await Task.WhenAll(
            serverStream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCertificate,
                ClientCertificateRequired = true,
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetRawCertData().AsSpan().SequenceEqual(clientCertificate.RawData) == true,
            }),
            clientStream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, [intermediate], offline: true),
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetRawCertData().AsSpan().SequenceEqual(server.Certificate.RawData) == true,
            }));

        // The handshake's CertificateVerify was signed by the attached key; write a byte to be sure the session is up.
        await clientStream.WriteAsync(new byte[] { 1 });
        var buffer = new byte[1];
        await serverStream.ReadExactlyAsync(buffer);
        return serverStream.RemoteCertificate?.GetRawCertData();
    }
}
