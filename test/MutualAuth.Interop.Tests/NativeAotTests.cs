using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

/// <summary>
/// <c>mutualauth</c> published with native AOT (the small-footprint build of docs/benchmarks.md) works as the JIT
/// build does: a first run creates the data folder, and the printed curl and call commands get the identity back.
/// Needs clang (test.sh installs it).
/// </summary>
public sealed class NativeAotTests
{
    [Fact]
    public async Task The_native_aot_build_serves_and_calls()
    {
        using var temp = new TempFolder("mutualauth-aot-");
        var folder = temp.Path;
        var output = Path.Combine(folder, "bin");
        var project = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Tool.CliAssembly)!, "..", "..", "..", "MutualAuth.Cli.csproj"));
        var published = await Tool.Run("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", output, "--nologo"],
            timeLimit: TimeSpan.FromMinutes(15));
        Assert.True(published.ExitCode == 0, published.ToString());
        var executable = Path.Combine(output, "mutualauth");
        Assert.True(File.Exists(executable), $"no native executable in {output}");
        Assert.False(File.Exists(Path.Combine(output, "mutualauth.dll")), "expected a native build, not IL");

        await using var gateway = await ServeProcess.StartCommand([executable], null, null, Path.Combine(folder, "data"));
        var curl = await gateway.RunPrintedCurl();
        Assert.True(await gateway.WaitForOutput(" call https://"), gateway.Output);
        var callLine = gateway.Output.Split('\n').Single(l => l.Contains(" call https://", StringComparison.Ordinal)).Trim();
        var call = await Tool.Run("sh", ["-c", callLine]);
        var audit = await Tool.Run(executable, ["audit", "--json", "--data-dir", Path.Combine(folder, "data")]);

        // Pkcs11Interop cannot marshal its structures under native AOT: token commands stop with a clear error (exit 2)
        // instead of an unhandled NotSupportedException (docs/smartcards.md, Limits).
        var card = await Tool.Run(executable, ["card", "list", "--module", SoftHsm.Module]);

        Assert.True(curl.ExitCode == 0, curl + gateway.Output);
        Assert.Contains("\"subject\": \"client\"", curl.StdOut, StringComparison.Ordinal);
        Assert.StartsWith(executable + " call ", callLine, StringComparison.Ordinal);
        Assert.True(call.ExitCode == 0, call.ToString());
        Assert.Contains("\"subject\": \"client\"", call.StdOut, StringComparison.Ordinal);
        Assert.True(audit.ExitCode == 0, audit.ToString());
        Assert.Contains("\"decision\": \"accept\"", audit.StdOut, StringComparison.Ordinal);
        Assert.True(card.ExitCode == 2, card.ToString());
        Assert.Contains("JIT build", card.StdErr, StringComparison.Ordinal);
    }
}
