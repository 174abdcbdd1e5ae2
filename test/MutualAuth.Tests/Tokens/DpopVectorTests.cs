using Microsoft.Extensions.Time.Testing;
using MutualAuth.Authentication;
using MutualAuth.Tokens;

namespace MutualAuth.Tests.Tokens;

/// <summary>RFC 9449 §4.2 Figure 2 (test/testdata/dpop) verifies with our validator at its <c>iat</c>.</summary>
public sealed class DpopVectorTests
{
    private static readonly Dictionary<string, string> Vector = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "testdata", "dpop", "rfc9449-figure2.txt"))
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => l.Split(": ", 2))
        .ToDictionary(p => p[0], p => p[1]);

    [Fact]
    public async Task Figure_2_verifies_at_its_iat_and_gives_the_rfc_7638_thumbprint()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(long.Parse(Vector["iat"], System.Globalization.CultureInfo.InvariantCulture)));
        var validator = new DpopProofValidator(new DpopValidationOptions(), TestJws.Memory(), time);

        var result = await validator.ValidateAsync([Vector["proof"]], new DpopRequest(Vector["htm"], new Uri(Vector["htu"])));

        Assert.Equal(ReasonCode.Ok, result.Reason);
        Assert.Equal(Vector["jwk-thumbprint-jkt"], result.Value!.Thumbprint);
    }

    [Fact]
    public async Task Figure_2_is_refused_an_hour_later()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(long.Parse(Vector["iat"], System.Globalization.CultureInfo.InvariantCulture) + 3600));
        var validator = new DpopProofValidator(new DpopValidationOptions(), TestJws.Memory(), time);

        var result = await validator.ValidateAsync([Vector["proof"]], new DpopRequest(Vector["htm"], new Uri(Vector["htu"])));

        Assert.Equal(TokenReasons.IatOutOfWindow, result.Reason);
    }

    [Fact]
    public void The_ath_of_the_rfc_access_token_matches() =>
        Assert.Equal(Vector["ath"], DpopProofValidator.AccessTokenHash(Vector["access-token"]));
}
