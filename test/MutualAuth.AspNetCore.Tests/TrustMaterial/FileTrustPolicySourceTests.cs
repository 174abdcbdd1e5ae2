using System.Security.Cryptography;
using MutualAuth.AspNetCore.TrustMaterial;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.AspNetCore.Tests.TrustMaterial;

public sealed class FileTrustPolicySourceTests : IDisposable
{
    private readonly TestPki _pki = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("mutualauth-trust-").FullName;

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private string Write(string name, string contents)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, contents);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(Random.Shared.Next(1, 1000)));
        return path;
    }

    private static string CrlPem(CertificateRevocationList crl) => PemEncoding.WriteString("X509 CRL", crl.RawData);

    [Fact]
    public void Reloads_a_changed_crl_after_the_check_interval_and_keeps_the_template()
    {
        using var alice = _pki.Client();
        var anchors = Write("root.pem", _pki.Root.ExportCertificatePem());
        var crl = Write("crl.pem", CrlPem(_pki.Crl()));
        var template = new TrustPolicy { TrustAnchors = [], AllowRules = new PeerRules().AllowCommonName("alice") };
        var source = new FileTrustPolicySource([anchors], [], [crl], template, _pki.Time);
        Assert.Empty(source.Current().Crls[0].Entries);

        Write("crl.pem", CrlPem(_pki.Crl(alice)));
        Assert.Empty(source.Current().Crls[0].Entries);
        _pki.Time.Advance(FileTrustPolicySource.CheckInterval);

        var current = source.Current();
        Assert.Single(current.Crls[0].Entries);
        Assert.Same(template.AllowRules, current.AllowRules);
        Assert.Single(current.TrustAnchors);
    }

    [Fact]
    public void A_broken_file_keeps_the_previous_policy()
    {
        var anchors = Write("root.pem", _pki.Root.ExportCertificatePem());
        var crl = Write("crl.pem", CrlPem(_pki.Crl()));
        var source = new FileTrustPolicySource([anchors], [], [crl], new TrustPolicy { TrustAnchors = [] }, _pki.Time);
        var before = source.Current();

        Write("crl.pem", "garbage");
        _pki.Time.Advance(FileTrustPolicySource.CheckInterval);

        Assert.Same(before, source.Current());
    }

    [Fact]
    public void An_older_crl_put_back_in_place_is_refused()
    {
        using var alice = _pki.Client();
        var anchors = Write("root.pem", _pki.Root.ExportCertificatePem());
        string Crl(int number, params IssuedCertificate[] revoked) => PemEncoding.WriteString("X509 CRL", _pki.Authority.CreateCrl(
            revoked.Select(r => new RevokedCertificate(SerialNumbers.Normalize(r.Certificate.SerialNumber), TestPki.Now, null)), number, TimeSpan.FromDays(7)));
        var crl = Write("crl.pem", Crl(2, alice));
        var source = new FileTrustPolicySource([anchors], [], [crl], new TrustPolicy { TrustAnchors = [] }, _pki.Time);

        Write("crl.pem", Crl(1));
        _pki.Time.Advance(FileTrustPolicySource.CheckInterval);

        Assert.Single(source.Current().Crls[0].Entries);
    }

    [Fact]
    public void Missing_or_empty_files_fail_at_start()
    {
        var empty = Write("empty.pem", "");

        Assert.Throws<TrustMaterialException>(() => new FileTrustPolicySource([], [], [], new TrustPolicy { TrustAnchors = [] }, _pki.Time));
        Assert.Throws<TrustMaterialException>(() => new FileTrustPolicySource([empty], [], [], new TrustPolicy { TrustAnchors = [] }, _pki.Time));
        Assert.Throws<TrustMaterialException>(() => new FileTrustPolicySource([Path.Combine(_directory, "none.pem")], [], [], new TrustPolicy { TrustAnchors = [] }, _pki.Time));
    }
}
