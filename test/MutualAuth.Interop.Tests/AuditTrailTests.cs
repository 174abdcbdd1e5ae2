using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

/// <summary>The audit trail of a running serve, read by <c>mutualauth audit</c> from another process.</summary>
public sealed class AuditTrailTests
{
    [Theory]
    [InlineData("--audit-sync")] // committed before the handshake completes
    [InlineData(null)] // committed by the background writer
    public async Task An_accepted_handshake_is_in_the_audit_trail_while_serve_runs(string? option)
    {
        using var temp = new TempFolder("mutualauth-audit-");
        var folder = temp.Path;
        var data = Path.Combine(folder, "data");
        await using var gateway = await ServeProcess.Start(data, option is null ? [] : [option]);
        var called = await gateway.RunPrintedCurl();
        Assert.True(called.ExitCode == 0, called + gateway.Output);

        var audit = await Tool.MutualAuth("audit", "--json", "--data-dir", data);

        Assert.True(audit.ExitCode == 0, audit.ToString());
        Assert.Contains("\"reasonCode\": \"ok\"", audit.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"subject\": \"client\"", audit.StdOut, StringComparison.Ordinal);
    }
}
