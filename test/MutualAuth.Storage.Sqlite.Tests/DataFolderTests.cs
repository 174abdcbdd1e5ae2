using MutualAuth.Testing;

namespace MutualAuth.Storage.Sqlite.Tests;

public sealed class DataFolderTests
{
    [Theory]
    [InlineData("alice", true)]
    [InlineData("web-01.prod_a", true)]
    [InlineData("../etc", false)]
    [InlineData(".hidden", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    public void Identity_names_cannot_escape_the_folder(string name, bool valid) =>
        Assert.Equal(valid, DataFolder.IsValidIdentityName(name));

    [Fact]
    public void Resolve_prefers_the_explicit_path() =>
        Assert.Equal(Path.GetFullPath("x"), DataFolder.Resolve("x").Root);

    [Fact]
    public void The_scram_secret_is_created_once_owner_only_and_then_kept()
    {
        using var temp = new TempFolder();
        var folder = new DataFolder(temp.Path);

        var first = DataFolder.ReadOrCreateSecret(folder.ScramSecretPath);
        var second = DataFolder.ReadOrCreateSecret(folder.ScramSecretPath);

        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.ScramSecretPath));
        File.WriteAllBytes(folder.ScramSecretPath, [1, 2, 3]);
        Assert.Throws<InvalidDataException>(() => DataFolder.ReadOrCreateSecret(folder.ScramSecretPath));
    }
}
