using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Authentication;
using MutualAuth.Certificates;
using MutualAuth.Keys;

namespace MutualAuth.Tests.Authentication;

public sealed class HardwareKeyAmrTests
{
    [Fact]
    public void The_card_profile_policy_maps_to_hwk_and_sc_and_other_certificates_to_swk()
    {
        using var ca = CertificateAuthority.Create("T", SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256), SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256), TimeProvider.System);
        using var card = ca.Issue(new LeafRequest { CommonName = "card", DnsNames = ["card"], Profile = CertificateProfile.Card });
        using var client = ca.Issue(new LeafRequest { CommonName = "soft", DnsNames = ["soft"], Profile = CertificateProfile.Client });

        Assert.Equal([AuthenticationMethods.AmrHardwareKey, AuthenticationMethods.AmrSmartCard], MutualIdentity.FromCertificate(card.Certificate).Amr);
        Assert.Equal([AuthenticationMethods.AmrSoftwareKey], MutualIdentity.FromCertificate(client.Certificate).Amr);
        Assert.Equal([Oids.HardwareKeyPolicy], CertificatePolicies.Of(card.Certificate));
    }

    [Fact]
    public void A_malformed_policy_extension_grants_nothing()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509Extension(Oids.CertificatePolicies, [0x30, 0x03, 0x06, 0x01], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));

        Assert.Empty(CertificatePolicies.Of(certificate));
        Assert.Equal([AuthenticationMethods.AmrSoftwareKey], MutualIdentity.FromCertificate(certificate).Amr);
    }
}
