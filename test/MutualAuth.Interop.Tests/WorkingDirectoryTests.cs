using System.Net.Sockets;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

/// <summary>serve listens where its options say, and nowhere else, whatever the directory or environment it starts in.</summary>
public sealed class WorkingDirectoryTests
{
    [Fact]
    public async Task Kestrel_settings_in_an_appsettings_file_or_the_environment_open_no_other_endpoint()
    {
        using var temp = new TempFolder("mutualauth-cwd-");
        var folder = temp.Path;
        var fromFile = Tool.FreePort();
        var fromEnvironment = Tool.FreePort();
        var fromUrls = Tool.FreePort();
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), $$"""{ "Kestrel": { "Endpoints": { "Plain": { "Url": "http://127.0.0.1:{{fromFile}}" } } } }""");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_Kestrel__Endpoints__Env__Url"] = $"http://127.0.0.1:{fromEnvironment}",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{fromUrls}",
            ["DOTNET_URLS"] = $"http://127.0.0.1:{fromUrls}",
        };
        await using var gateway = await ServeProcess.StartIn(folder, environment, Path.Combine(folder, "data"));

        var result = await gateway.RunPrintedCurl();

        Assert.True(result.ExitCode == 0, result + gateway.Output);
        foreach (var port in new[] { fromFile, fromEnvironment, fromUrls })
        {
            using var probe = new TcpClient();
            await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync("127.0.0.1", port));
        }
    }
}
