using System.Text;
using System.Text.RegularExpressions;

namespace MutualAuth.Interop.Tests.Scram;

/// <summary>
/// <c>serve --scram-require-channel-binding</c> offers and accepts only the -PLUS mechanisms: a client that
/// refuses channel binding cannot log in, one that sends a plain mechanism anyway is refused by the server,
/// and <c>call</c>'s default (channel binding preferred) logs in.
/// </summary>
public sealed class ScramRequiredChannelBindingTests(ScramRequiredChannelBindingTests.Fixture fixture) : IClassFixture<ScramRequiredChannelBindingTests.Fixture>
{
    [Fact]
    public async Task The_default_call_logs_in_with_plus()
    {
        var result = await fixture.CallAs("alice", "alice");

        ScramLoginTests.AssertWhoAmI(result, "alice");
        Assert.True(await fixture.Gateway.WaitForOutput("SCRAM authenticated 'alice' with SCRAM-SHA-256-PLUS from"), fixture.Gateway.Output);
    }

    [Fact]
    public async Task A_call_with_channel_binding_disabled_is_refused()
    {
        var result = await fixture.CallAs("bob", "bob", "/whoami", "--channel-binding", "disabled");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Empty(result.StdOut);
        Assert.Contains("SCRAM login not completed", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("SCRAM authenticated 'bob'", fixture.Gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_plus_mechanisms_are_offered()
    {
        var result = await fixture.Curl("/whoami", withCertificate: false, "-i");

        var offered = Regex.Matches(result.StdOut, @"^www-authenticate: (SCRAM-[A-Z0-9-]+)", RegexOptions.Multiline | RegexOptions.IgnoreCase).Select(m => m.Groups[1].Value).ToList();
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-512-PLUS"], offered);
    }

    [Fact]
    public async Task A_plain_client_first_sent_anyway_is_refused_by_the_server()
    {
        var clientFirst = Convert.ToBase64String(Encoding.UTF8.GetBytes("n,,n=alice,r=rOprNGfwEbeRWgbNEkqO"));

        var result = await fixture.Curl("/whoami", withCertificate: false, "-i", "-H", $"Authorization: SCRAM-SHA-256 data={clientFirst}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("HTTP/", result.StdOut, StringComparison.Ordinal);
        Assert.Contains(" 401", result.StdOut.Split('\n')[0], StringComparison.Ordinal);
        Assert.DoesNotContain("sid=", result.StdOut, StringComparison.Ordinal);
        Assert.True(await fixture.Gateway.WaitForOutput("SCRAM-SHA-256 is not offered on this connection"), fixture.Gateway.Output);
    }

    public sealed class Fixture : ScramGatewayFixture
    {
        protected override string[] ServeArguments => ["--route", "/=scram", "--scram-require-channel-binding"];
    }
}
