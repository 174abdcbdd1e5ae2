using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

public sealed class DataFolderPermissionTests
{
    [Fact]
    public async Task Serve_does_not_start_on_a_data_folder_whose_keys_other_users_can_read()
    {
        using var temp = new TempFolder("mutualauth-perm-");
        var folder = temp.Path;
        var data = Path.Combine(folder, "data");
        var init = await Tool.MutualAuth("ca", "init", "--data-dir", data);
        Assert.True(init.ExitCode == 0, init.ToString());
        var key = Path.Combine(data, "ca", "intermediate.key");
        File.SetUnixFileMode(key, File.GetUnixFileMode(key) | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var serve = await Tool.MutualAuth("serve", "--data-dir", data, "--listen", $"127.0.0.1:{Tool.FreePort()}");

        Assert.True(serve.ExitCode == 2, serve.ToString());
        Assert.Contains($"chmod 600 '{key}'", serve.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", serve.StdOut, StringComparison.Ordinal);
    }
}
