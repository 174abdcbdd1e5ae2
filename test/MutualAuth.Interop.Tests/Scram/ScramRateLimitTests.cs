namespace MutualAuth.Interop.Tests.Scram;

/// <summary>
/// Failed logins through <c>serve</c> are limited per user name (5 in a burst, then one per 30 s): further
/// attempts for that user, even with the right password, get 429, which <c>call</c> reports as a refused login
/// with the wait; other users from the same address still log in.
/// </summary>
public sealed class ScramRateLimitTests(ScramRateLimitTests.Fixture fixture) : IClassFixture<ScramRateLimitTests.Fixture>
{
    private const int UserBurst = 5;

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_user_out_with_429()
    {
        var refusals = new List<string>();
        for (var attempt = 0; attempt < UserBurst; attempt++)
        {
            var wrong = await fixture.CallAs("alice", "wrong");
            Assert.True(wrong.ExitCode == 1, wrong.ToString());
            refusals.Add(wrong.StdErr);
        }

        var limited = await fixture.CallAs("alice", "wrong");
        var rightButLimited = await fixture.CallAs("alice", "alice");
        var otherUser = await fixture.CallAs("bob", "bob");

        Assert.All(refusals, r => Assert.Contains("invalid-proof", r, StringComparison.Ordinal));
        foreach (var result in new[] { limited, rightButLimited })
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Empty(result.StdOut);
            Assert.Contains("the server refused the login of 'alice': Too many failed logins", result.StdErr, StringComparison.Ordinal);
            Assert.Contains("(429): retry after 30 s", result.StdErr, StringComparison.Ordinal);
        }

        ScramLoginTests.AssertWhoAmI(otherUser, "bob");
        Assert.True(await fixture.Gateway.WaitForOutput("SCRAM rate limit reached for 'alice'"), fixture.Gateway.Output);
    }

    public sealed class Fixture : ScramGatewayFixture
    {
        protected override string[] ServeArguments => ["--route", "/=scram"];
    }
}
