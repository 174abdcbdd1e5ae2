using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Storage.Sqlite.Tests;

public sealed class LocalCertificateAuthorityTests : IDisposable
{
    private readonly TempFolder _directory = new();
    private readonly FakeTimeProvider _time = new(TestPki.Now);

    public void Dispose() => _directory.Dispose();

    private LocalCertificateAuthority Open() => new(new DataFolder(Path.Combine(_directory.Path, "data")), _time);

    private static LeafRequest Client(string name) => new() { CommonName = name, DnsNames = [name], Profile = CertificateProfile.Client };

    [Fact]
    public void Init_writes_certificates_owner_only_keys_and_an_empty_crl()
    {
        var ca = Open();

        var record = ca.Initialize("Acme", KeyAlgorithm.EcdsaP384);

        Assert.Equal(KeyAlgorithm.EcdsaP384, ca.Store.GetAuthority()!.Algorithm);
        Assert.Equal(record.RootCertificatePem, File.ReadAllText(ca.Folder.RootCertificatePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ca.Folder.RootKeyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ca.Folder.IntermediateKeyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(ca.Folder.Root));
        var crl = ca.ReadCrl()!;
        Assert.Empty(crl.Entries);
        using var intermediate = ca.LoadIntermediate();
        Assert.True(crl.IsSignedBy(intermediate));
    }

    [Fact]
    public void Init_twice_changes_nothing()
    {
        var ca = Open();
        var first = ca.Initialize("Acme", KeyAlgorithm.EcdsaP256);
        var key = File.ReadAllText(ca.Folder.IntermediateKeyPath);

        Assert.Throws<StoreException>(() => ca.Initialize("Other", KeyAlgorithm.EcdsaP256));

        Assert.Equal(first.RootCertificatePem, ca.Store.GetAuthority()!.RootCertificatePem);
        Assert.Equal(key, File.ReadAllText(ca.Folder.IntermediateKeyPath));
    }

    [Fact]
    public void Issue_writes_pem_files_and_records_the_certificate()
    {
        var ca = Open();
        ca.Initialize("Acme", KeyAlgorithm.EcdsaP256);
        var files = ca.Folder.Identity("alice");

        using var issued = ca.Issue("alice", Client("alice"), files);

        var record = Assert.Single(ca.Store.ListIssued());
        Assert.Equal(SerialNumbers.Normalize(issued.Certificate.SerialNumber), record.SerialNumber);
        Assert.Equal("client", record.Profile);
        Assert.Equal(["DNS:alice"], record.SubjectAlternativeNames);
        Assert.Equal("valid", record.StatusAt(_time.GetUtcNow()));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.KeyPath));
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(files.ChainPath);
        Assert.Equal(2, chain.Count);
        using var withKey = X509Certificate2.CreateFromPemFile(files.CertificatePath, files.KeyPath);
        Assert.True(withKey.HasPrivateKey);
    }

    [Fact]
    public void A_failed_issue_keeps_the_previous_identity_files()
    {
        var ca = Open();
        ca.Initialize("Acme", KeyAlgorithm.EcdsaP256);
        var files = ca.Folder.Identity("alice");
        using var first = ca.Issue("alice", Client("alice"), files);
        var before = File.ReadAllText(files.CertificatePath);

        Assert.Throws<ArgumentException>(() => ca.Issue("alice", Client("alice") with { DnsNames = [] }, files));

        Assert.Equal(before, File.ReadAllText(files.CertificatePath));
        Assert.Single(ca.Store.ListIssued());
        Assert.Single(Directory.GetDirectories(Path.GetDirectoryName(files.Directory)!));
    }

    [Fact]
    public void Revoke_marks_the_record_and_lists_it_on_the_next_crl()
    {
        var ca = Open();
        ca.Initialize("Acme", KeyAlgorithm.EcdsaP256);
        using var issued = ca.Issue("alice", Client("alice"), ca.Folder.Identity("alice"));
        var serial = issued.Certificate.SerialNumber;

        Assert.True(ca.Revoke(serial.ToLowerInvariant(), X509RevocationReason.KeyCompromise));
        Assert.False(ca.Revoke(serial, X509RevocationReason.KeyCompromise));
        Assert.False(ca.Revoke("01", X509RevocationReason.KeyCompromise));

        Assert.Equal("revoked", ca.Store.FindIssued(serial)!.StatusAt(_time.GetUtcNow()));
        var crl = ca.ReadCrl()!;
        Assert.Equal(X509RevocationReason.KeyCompromise, crl.Find(serial)!.Reason);
        Assert.Equal(4, crl.CrlNumber);
    }

    [Fact]
    public void A_ca_that_cannot_sign_revokes_nothing()
    {
        var ca = Open();
        ca.Initialize("Acme", KeyAlgorithm.EcdsaP256);
        using var issued = ca.Issue("alice", Client("alice"), ca.Folder.Identity("alice"));
        File.Move(ca.Folder.IntermediateKeyPath, ca.Folder.IntermediateKeyPath + ".away");

        Assert.Throws<StoreException>(() => ca.Revoke(issued.Certificate.SerialNumber, X509RevocationReason.KeyCompromise));

        Assert.Null(ca.Store.FindIssued(issued.Certificate.SerialNumber)!.RevokedAt);
    }

    [Fact]
    public void Load_without_init_explains_what_to_do()
    {
        var error = Assert.Throws<StoreException>(() => Open().Load());

        Assert.Contains("ca init", error.Message, StringComparison.Ordinal);
    }
}
