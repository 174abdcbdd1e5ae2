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
    public async Task Init_writes_certificates_owner_only_keys_and_an_empty_crl()
    {
        var ca = Open();

        var record = await ca.InitializeAsync("Acme", KeyAlgorithm.EcdsaP384);

        Assert.Equal(KeyAlgorithm.EcdsaP384, (await ca.Store.GetAuthorityAsync())!.Algorithm);
        Assert.Equal(record.RootCertificatePem, File.ReadAllText(ca.Folder.RootCertificatePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ca.Folder.RootKeyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ca.Folder.IntermediateKeyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(ca.Folder.Root));
        var crl = ca.ReadCrl()!;
        Assert.Empty(crl.Entries);
        using var intermediate = await ca.LoadIntermediateAsync();
        Assert.True(crl.IsSignedBy(intermediate));
    }

    [Fact]
    public async Task Init_twice_changes_nothing()
    {
        var ca = Open();
        var first = await ca.InitializeAsync("Acme", KeyAlgorithm.EcdsaP256);
        var key = File.ReadAllText(ca.Folder.IntermediateKeyPath);

        await Assert.ThrowsAsync<StoreException>(() => ca.InitializeAsync("Other", KeyAlgorithm.EcdsaP256));

        Assert.Equal(first.RootCertificatePem, (await ca.Store.GetAuthorityAsync())!.RootCertificatePem);
        Assert.Equal(key, File.ReadAllText(ca.Folder.IntermediateKeyPath));
    }

    [Fact]
    public async Task Issue_writes_pem_files_and_records_the_certificate()
    {
        var ca = Open();
        await ca.InitializeAsync("Acme", KeyAlgorithm.EcdsaP256);
        var files = ca.Folder.Identity("alice");

        using var issued = await ca.IssueAsync("alice", Client("alice"), files);

        var record = Assert.Single(await ca.Store.ListIssuedAsync());
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
    public async Task A_failed_issue_keeps_the_previous_identity_files()
    {
        var ca = Open();
        await ca.InitializeAsync("Acme", KeyAlgorithm.EcdsaP256);
        var files = ca.Folder.Identity("alice");
        using var first = await ca.IssueAsync("alice", Client("alice"), files);
        var before = File.ReadAllText(files.CertificatePath);

        await Assert.ThrowsAsync<ArgumentException>(() => ca.IssueAsync("alice", Client("alice") with { DnsNames = [] }, files));

        Assert.Equal(before, File.ReadAllText(files.CertificatePath));
        Assert.Single(await ca.Store.ListIssuedAsync());
        Assert.Single(Directory.GetDirectories(Path.GetDirectoryName(files.Directory)!));
    }

    [Fact]
    public async Task Revoke_marks_the_record_and_lists_it_on_the_next_crl()
    {
        var ca = Open();
        await ca.InitializeAsync("Acme", KeyAlgorithm.EcdsaP256);
        using var issued = await ca.IssueAsync("alice", Client("alice"), ca.Folder.Identity("alice"));
        var serial = issued.Certificate.SerialNumber;

        Assert.True(await ca.RevokeAsync(serial.ToLowerInvariant(), X509RevocationReason.KeyCompromise));
        Assert.False(await ca.RevokeAsync(serial, X509RevocationReason.KeyCompromise));
        Assert.False(await ca.RevokeAsync("01", X509RevocationReason.KeyCompromise));

        Assert.Equal("revoked", (await ca.Store.FindIssuedAsync(serial))!.StatusAt(_time.GetUtcNow()));
        var crl = ca.ReadCrl()!;
        Assert.Equal(X509RevocationReason.KeyCompromise, crl.Find(serial)!.Reason);
        Assert.Equal(4, crl.CrlNumber);
    }

    [Fact]
    public async Task A_ca_that_cannot_sign_revokes_nothing()
    {
        var ca = Open();
        await ca.InitializeAsync("Acme", KeyAlgorithm.EcdsaP256);
        using var issued = await ca.IssueAsync("alice", Client("alice"), ca.Folder.Identity("alice"));
        File.Move(ca.Folder.IntermediateKeyPath, ca.Folder.IntermediateKeyPath + ".away");

        await Assert.ThrowsAsync<StoreException>(() => ca.RevokeAsync(issued.Certificate.SerialNumber, X509RevocationReason.KeyCompromise));

        Assert.Null((await ca.Store.FindIssuedAsync(issued.Certificate.SerialNumber))!.RevokedAt);
    }

    [Fact]
    public async Task Load_without_init_explains_what_to_do()
    {
        var error = await Assert.ThrowsAsync<StoreException>(() => Open().LoadAsync());

        Assert.Contains("ca init", error.Message, StringComparison.Ordinal);
    }
}
