using MutualAuth.Certificates;

namespace MutualAuth.Tests.Certificates;

public sealed class SerialNumbersTests
{
    [Theory]
    [InlineData("0a:1b:2c", "0A1B2C")]
    [InlineData("0x00FF", "FF")]
    [InlineData("00 80 01", "8001")]
    [InlineData("abc", "0ABC")]
    public void Normalizes_user_input(string input, string expected) => Assert.Equal(expected, SerialNumbers.Normalize(input));

    [Theory]
    [InlineData("xyz")]
    [InlineData("")]
    public void Refuses_non_hex(string input) => Assert.Throws<FormatException>(() => SerialNumbers.Normalize(input));
}
