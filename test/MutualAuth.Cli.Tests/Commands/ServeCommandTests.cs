using System.Net;
using System.Net.Sockets;

namespace MutualAuth.Cli.Tests.Commands;

public sealed class ServeCommandTests : IDisposable
{
    private readonly CliTempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("--listen", "localhost")]
    [InlineData("--listen", "127.0.0.1:0")]
    [InlineData("--upstream", "ftp://example.org")]
    [InlineData("--cert", "/nonexistent/cert.pem", "--key", "/nonexistent/key.pem")]
    [InlineData("--cert", "/etc/hostname")]
    [InlineData("--trust", "/nonexistent/ca.pem")]
    [InlineData("--allow-uri", "")]
    [InlineData("--identity-header-prefix", "")]
    [InlineData("--identity-header-prefix", "Bad Prefix:")]
    [InlineData("--key", "/etc/hostname")]
    [InlineData("--cert", "/dev/zero", "--key", "/dev/zero")]
    [InlineData("--identity", "client")]
    [InlineData("--route", "/health=none+mtls")]
    [InlineData("--route", "/health=none,sig")]
    public async Task Bad_settings_exit_with_2_before_listening(params string[] args)
    {
        var result = await _folder.Run(["serve", .. args]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.DoesNotContain("listening on", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_route_method_exits_with_2_naming_it_and_the_known_ones()
    {
        var result = await _folder.Run(["serve", "--route", "/api=scram,passkey"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("'passkey'", result.ToString(), StringComparison.Ordinal);
        Assert.Contains("mtls, scram, sig, token, webauthn, none", result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_allow_rules_are_refused()
    {
        var args = Enumerable.Range(0, 1001).SelectMany(i => new[] { "--allow-dns", $"host{i}.example.org" });

        var result = await _folder.Run(["serve", .. args]);

        Assert.True(result.ExitCode == 2, result.ToString());
    }

    [Fact]
    public async Task An_address_this_machine_does_not_have_is_an_io_error()
    {
        var result = await _folder.Run("serve", "--listen", "192.0.2.1:18443");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_an_io_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var result = await _folder.Run("serve", "--listen", $"127.0.0.1:{port}");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("address already in use", result.StdErr, StringComparison.OrdinalIgnoreCase);
    }
}
