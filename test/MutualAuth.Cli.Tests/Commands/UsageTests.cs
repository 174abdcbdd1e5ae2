using MutualAuth.Testing;

namespace MutualAuth.Cli.Tests.Commands;

public sealed class UsageTests
{
    [Fact]
    public async Task Help_lists_the_commands_and_exit_codes()
    {
        var result = await Tool.MutualAuth("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "serve", "call", "ca", "user", "key", "verify", "audit" })
        {
            Assert.Contains(command, result.StdOut, StringComparison.Ordinal);
        }

        Assert.Contains("Exit codes", result.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("ca")]
    [InlineData("ca", "issue", "client")]
    [InlineData("ca", "init", "--key", "dsa")]
    [InlineData("ca", "revoke")]
    [InlineData("serve", "--revocation", "sometimes")]
    public async Task Bad_usage_exits_with_2(params string[] args)
    {
        var result = await Tool.MutualAuth(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_command_has_help()
    {
        foreach (var command in new[] { "serve", "call", "ca init", "ca issue server", "ca issue client", "ca revoke", "ca crl", "ca list", "ca sign", "ca inspect", "ca export", "ca renew", "user add", "user passwd", "user remove", "user list", "user import", "user export", "verify", "audit" })
        {
            var result = await Tool.MutualAuth([.. command.Split(' '), "--help"]);
            Assert.True(result.ExitCode == 0, command + ": " + result);
            Assert.Contains("--data-dir", result.StdOut, StringComparison.Ordinal);
        }
    }
}
