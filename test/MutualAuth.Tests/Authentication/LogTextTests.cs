using MutualAuth.Authentication;

namespace MutualAuth.Tests.Authentication;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData(null, "-")]
    [InlineData("evil\n2026-01-01 info: accepted admin", "evil\\u000A2026-01-01 info: accepted admin")]
    [InlineData("a\rb\u001bc", "a\\u000Db\\u001Bc")]
    [InlineData("Zoë", "Zoë")]
    public void Control_characters_cannot_start_a_new_log_line(string? input, string expected) =>
        Assert.Equal(expected, LogText.Escape(input));
}
