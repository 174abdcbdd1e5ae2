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
}
