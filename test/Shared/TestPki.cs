using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using MutualAuth.Certificates;
using MutualAuth.Keys;

namespace MutualAuth.Testing;

/// <summary>A CA made at test time with a fixed clock, and helpers to issue what tests need.</summary>
internal sealed class TestPki : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public TestPki(KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256, string name = "Test")
    {
        Time = new FakeTimeProvider(Now);
        var created = CertificateAuthority.Create(name, algorithm, Time);
        Authority = created.Authority;
        RootKey = created.RootKey;
    }

    public FakeTimeProvider Time { get; }

    public CertificateAuthority Authority { get; }

    public SoftwareSigningKey RootKey { get; }

    public X509Certificate2 Root => Authority.Root;

    public X509Certificate2 Intermediate => X509CertificateLoader.LoadCertificate(Authority.Intermediate.RawData);

    public IssuedCertificate Client(string name = "alice", Func<LeafRequest, LeafRequest>? change = null) =>
        Authority.Issue((change ?? (r => r))(new LeafRequest { CommonName = name, DnsNames = [name], Profile = CertificateProfile.Client }));

    public IssuedCertificate Server(string dnsName = "localhost", Func<LeafRequest, LeafRequest>? change = null) =>
        Authority.Issue((change ?? (r => r))(new LeafRequest
        {
            CommonName = dnsName,
            DnsNames = [dnsName],
            IpAddresses = [IPAddress.Loopback],
            Profile = CertificateProfile.Server,
        }));

    public CertificateRevocationList Crl(params IssuedCertificate[] revoked) =>
        CertificateRevocationList.Parse(Authority.CreateCrl(
            revoked.Select(r => new RevokedCertificate(SerialNumbers.Normalize(r.Certificate.SerialNumber), Now.AddHours(-1), X509RevocationReason.KeyCompromise)),
            1,
            TimeSpan.FromDays(7)));

    public TrustPolicy ClientPolicy(params CertificateRevocationList[] crls) => new()
    {
        TrustAnchors = [Root],
        Crls = crls.Length > 0 ? crls : [Crl()],
        Purpose = CertificatePurpose.ClientAuthentication,
    };

    public TrustPolicy ServerPolicy() => new()
    {
        TrustAnchors = [Root],
        Purpose = CertificatePurpose.ServerAuthentication,
        Revocation = RevocationMode.None,
    };

    public static X509Certificate2 WithKey(IssuedCertificate issued) =>
        X509CertificateLoader.LoadPkcs12(issued.PrivateKey!.CopyWithPrivateKey(issued.Certificate).Export(X509ContentType.Pkcs12), null);

    public void Dispose()
    {
        Authority.Dispose();
        RootKey.Dispose();
    }
}
