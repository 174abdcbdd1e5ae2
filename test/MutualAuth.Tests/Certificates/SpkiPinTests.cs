using System.Security.Cryptography;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Tests.Certificates;

public sealed class SpkiPinTests
{
    [Fact]
    public void Pin_is_the_base64_sha256_of_the_subject_public_key_info()
    {
        using var pki = new TestPki();
        using var server = pki.Server();
        var expected = "sha256/" + Convert.ToBase64String(SHA256.HashData(server.Certificate.PublicKey.ExportSubjectPublicKeyInfo()));

        Assert.Equal(expected, SpkiPin.FromCertificate(server.Certificate).ToString());
        Assert.True(SpkiPin.Parse(expected).Matches(server.Certificate));
        Assert.True(SpkiPin.Parse(expected["sha256/".Length..]).Matches(server.Certificate));
        Assert.True(SpkiPin.Parse($"pin-sha256=\"{expected["sha256/".Length..]}\"").Matches(server.Certificate));
    }

    [Theory]
    [InlineData("sha256/not base64")]
    [InlineData("sha256/AAAA")]
    public void Malformed_pins_are_refused(string text) => Assert.Throws<FormatException>(() => SpkiPin.Parse(text));
}
