using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

public sealed class ZeroConfigTests
{
    [Fact]
    public async Task An_empty_folder_becomes_a_gateway_and_the_printed_curl_command_works()
    {
        using var temp = new TempFolder("mutualauth-zero-");
        var folder = temp.Path;
        var data = Path.Combine(folder, "fresh");
        await using var gateway = await ServeProcess.Start(data);

        var result = await gateway.RunPrintedCurl();

        Assert.True(result.ExitCode == 0, result + gateway.Output);
        Assert.Contains("\"subject\": \"client\"", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Created a CA", gateway.Output, StringComparison.Ordinal);
        Assert.Contains("Created a first client identity 'client'", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_printed_mutualauth_call_command_and_the_library_sample_work_too()
    {
        using var temp = new TempFolder("mutualauth-zero-");
        var folder = temp.Path;
        await using var gateway = await ServeProcess.Start(folder);
        Assert.True(await gateway.WaitForOutput(" call https://"), gateway.Output);
        var callLine = gateway.Output.Split('\n').Single(l => l.Contains(" call https://", StringComparison.Ordinal)).Trim();
        Assert.StartsWith($"dotnet {Tool.CliAssembly} call ", callLine, StringComparison.Ordinal);

        var result = await Tool.Run("sh", ["-c", callLine]);

        Assert.True(result.ExitCode == 0, result + gateway.Output);
        Assert.Contains("\"subject\": \"client\"", result.StdOut, StringComparison.Ordinal);

        var sample = typeof(ZeroConfigTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "MutualTlsSample").Value!;
        var sampleResult = await Tool.Run("dotnet", [sample, folder]);
        Assert.True(sampleResult.ExitCode == 0, sampleResult.ToString());
        Assert.Contains("hello client", sampleResult.StdOut, StringComparison.Ordinal);
    }
}
