using Microsoft.Extensions.Time.Testing;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Storage.Sqlite.Tests;

public sealed class DataFolderPermissionsTests : IDisposable
{
    private readonly TempFolder _directory = new();

    public void Dispose() => _directory.Dispose();

    private async Task<LocalCertificateAuthority> CreateCa()
    {
        var ca = new LocalCertificateAuthority(new DataFolder(Path.Combine(_directory.Path, "data")), new FakeTimeProvider(TestPki.Now));
        await ca.InitializeAsync("Acme", KeyAlgorithm.EcdsaP256);
        DataFolder.ReadOrCreateSecret(ca.Folder.ScramSecretPath);
        return ca;
    }

    [Fact]
    public async Task A_folder_as_created_has_no_problems()
    {
        var ca = await CreateCa();

        Assert.Empty(DataFolderPermissions.Problems(ca.Folder));
        Assert.Empty(DataFolderPermissions.Problems(new DataFolder(Path.Combine(_directory.Path, "missing"))));
    }

    [Fact]
    public async Task A_secret_others_can_read_and_a_folder_others_can_write_are_named_with_the_fix()
    {
        var ca = await CreateCa();
        File.SetUnixFileMode(ca.Folder.IntermediateKeyPath, File.GetUnixFileMode(ca.Folder.IntermediateKeyPath) | UnixFileMode.OtherRead);
        File.SetUnixFileMode(ca.Folder.ScramSecretPath, File.GetUnixFileMode(ca.Folder.ScramSecretPath) | UnixFileMode.GroupRead);
        File.SetUnixFileMode(ca.Folder.CaDirectory, File.GetUnixFileMode(ca.Folder.CaDirectory) | UnixFileMode.GroupWrite);

        var problems = DataFolderPermissions.Problems(ca.Folder);

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains($"chmod 600 '{ca.Folder.IntermediateKeyPath}'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains($"chmod 600 '{ca.Folder.ScramSecretPath}'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains($"chmod go-w '{ca.Folder.CaDirectory}'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Public_files_may_be_readable_by_others()
    {
        var ca = await CreateCa();
        File.SetUnixFileMode(ca.Folder.RootCertificatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(ca.Folder.Root, File.GetUnixFileMode(ca.Folder.Root) | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        Assert.Empty(DataFolderPermissions.Problems(ca.Folder));
    }
}
