using System.Security.Cryptography;
using System.Text;
using MutualAuth.Certificates;
using MutualAuth.Keys;
using MutualAuth.Keys.Pkcs11;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.SmartCards;

/// <summary>A CA whose root and intermediate keys live on a token (as step-ca's pkcs11 KMS); openssl verify accepts what it issues.</summary>
public sealed class CaInHsmTests
{
    [Fact]
    public async Task A_certificate_issued_by_an_intermediate_whose_key_is_on_a_token_passes_openssl_verify()
    {
        await SoftHsm.Ready();
        var pin = Encoding.UTF8.GetBytes(SoftHsm.Pin);
        var token = Pkcs11Token.Find(SoftHsm.Module, new Pkcs11Uri { Token = SoftHsm.CaToken });
        token.Login(pin);
        TokenObjects.GenerateKeyPair(token, "root", [0x10], SigningKeyAlgorithm.EcdsaP384);
        TokenObjects.GenerateKeyPair(token, "issuing", [0x11], SigningKeyAlgorithm.EcdsaP256);
        using var rootKey = TokenSigningKey.Open(Pkcs11Uri.Parse($"pkcs11:token={SoftHsm.CaToken};object=root"), SoftHsm.Module, pin);
        using var issuingKey = TokenSigningKey.Open(Pkcs11Uri.Parse($"pkcs11:token={SoftHsm.CaToken};object=issuing"), SoftHsm.Module, pin);

        using var ca = CertificateAuthority.Create("HSM", rootKey, issuingKey, TimeProvider.System);
        using var issued = ca.Issue(new LeafRequest { CommonName = "leaf", DnsNames = ["leaf.example"], Profile = CertificateProfile.Client });

        var folder = Directory.CreateTempSubdirectory("mutualauth-hsm-ca-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "root.pem"), ca.Root.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(folder, "intermediate.pem"), issued.Issuer.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(folder, "leaf.pem"), issued.CertificatePem);
            var verify = await Tool.Run("openssl", ["verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", Path.Combine(folder, "root.pem"),
                "-untrusted", Path.Combine(folder, "intermediate.pem"), Path.Combine(folder, "leaf.pem")]);

            Assert.True(verify.ExitCode == 0, verify.ToString());
            Assert.Contains(": OK", verify.StdOut, StringComparison.Ordinal);
            Assert.ThrowsAny<CryptographicException>(() => issuingKey.Key!.ExportPkcs8PrivateKey());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
