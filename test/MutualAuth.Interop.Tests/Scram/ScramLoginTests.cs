using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.Scram;

/// <summary>
/// <c>mutualauth call --user</c> logs into <c>mutualauth serve --route /=scram</c> with a password: the server
/// proves it holds the verifier, a wrong password and an unknown user are refused alike, and no password is
/// ever printed by either process.
/// </summary>
public sealed class ScramLoginTests(ScramLoginTests.Fixture fixture) : IClassFixture<ScramLoginTests.Fixture>
{
    private const string PasswordVariable = "MUTUALAUTH_TEST_SCRAM_PASSWORD";

    [Fact]
    public async Task The_right_password_logs_in_with_sha256_plus()
    {
        var result = await fixture.CallAs("alice", "alice");

        AssertWhoAmI(result, "alice");
        Assert.True(await fixture.Gateway.WaitForOutput("SCRAM authenticated 'alice' with SCRAM-SHA-256-PLUS from"), fixture.Gateway.Output);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_no_password_is_printed()
    {
        var result = await fixture.CallAs("alice", "wrong");

        AssertLoginRefused(result, "alice");
        Assert.True(await fixture.Gateway.WaitForOutput("SCRAM refused 'alice'"), fixture.Gateway.Output);
        foreach (var password in new[] { ScramGatewayFixture.WrongPassword, ScramGatewayFixture.AlicePassword })
        {
            Assert.DoesNotContain(password, result.StdOut, StringComparison.Ordinal);
            Assert.DoesNotContain(password, result.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain(password, fixture.Gateway.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unknown_user_gets_the_same_answer_as_a_wrong_password()
    {
        var unknown = await fixture.CallAs("nobody", "wrong");
        var wrong = await fixture.CallAs("bob", "wrong");

        AssertLoginRefused(unknown, "nobody");
        AssertLoginRefused(wrong, "bob");
        Assert.Equal(wrong.StdErr.Replace("'bob'", "'USER'", StringComparison.Ordinal), unknown.StdErr.Replace("'nobody'", "'USER'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_password_can_come_from_an_environment_variable()
    {
        var result = await fixture.Call("/whoami", ["--user", "bob", "--password-env", PasswordVariable],
            environment: new Dictionary<string, string> { [PasswordVariable] = ScramGatewayFixture.BobPassword });

        AssertWhoAmI(result, "bob");
    }

    [Fact]
    public async Task The_password_can_come_from_standard_input()
    {
        var result = await fixture.Call("/whoami", ["--user", "bob", "--password-stdin"], stdin: ScramGatewayFixture.BobPassword + "\n");

        AssertWhoAmI(result, "bob");
    }

    [Fact]
    public async Task Required_channel_binding_is_met_by_serve()
    {
        var result = await fixture.CallAs("bob", "bob", "/whoami", "--channel-binding", "required");

        AssertWhoAmI(result, "bob");
        Assert.True(await fixture.Gateway.WaitForOutput("SCRAM authenticated 'bob' with SCRAM-SHA-256-PLUS from"), fixture.Gateway.Output);
    }

    [Fact]
    public async Task Without_channel_binding_the_plain_mechanism_is_used()
    {
        var result = await fixture.CallAs("alice", "alice", "/whoami", "--channel-binding", "disabled");

        AssertWhoAmI(result, "alice");
        Assert.True(await fixture.Gateway.WaitForOutput("SCRAM authenticated 'alice' with SCRAM-SHA-256 from"), fixture.Gateway.Output);
    }

    internal static void AssertWhoAmI(ProcessResult result, string user)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"\"subject\": \"{user}\"", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"method\": \"scram\"", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"pwd\"", result.StdOut, StringComparison.Ordinal);
    }

    internal static void AssertLoginRefused(ProcessResult result, string user)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Empty(result.StdOut);
        Assert.Contains($"the server refused the login of '{user}'", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("invalid-proof", result.StdErr, StringComparison.Ordinal);
    }

    public sealed class Fixture : ScramGatewayFixture
    {
        protected override string[] ServeArguments => ["--route", "/=scram"];
    }
}
