using MutualAuth.Authentication;
using MutualAuth.Keys;
using MutualAuth.Storage;
using MutualAuth.Tokens;

namespace MutualAuth.Tests.Tokens;

/// <summary><c>client rotate --overlap</c>: the previous key verifies assertions until its <c>exp</c>, then is refused.</summary>
public sealed class ClientKeyRetirementTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private readonly SoftwareSigningKey _old = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
    private readonly SoftwareSigningKey _new = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);

    public void Dispose()
    {
        _old.Dispose();
        _new.Dispose();
    }

    private static string Jwks(SigningKey key, string kid) => "{\"keys\":[" + TestJws.Jwk(key, kid) + "]}";

    private static OAuthClientRecord Record(string jwks) =>
        new() { ClientId = "svc", AuthenticationMethod = ClientRegistrations.PrivateKeyJwt, Jwks = jwks, CreatedAt = Now };

    [Fact]
    public void The_previous_key_is_registered_until_the_overlap_ends_then_not()
    {
        var merged = ClientKeyRetirement.Merge(Jwks(_new, "new"), Jwks(_old, "old"), Now.AddHours(1), Now, maxKeys: 10);

        Assert.Equal(["new", "old"], ClientRegistrations.From(Record(merged), Now.AddMinutes(59))!.Keys.Select(k => k.KeyId));
        Assert.Equal(["new"], ClientRegistrations.From(Record(merged), Now.AddHours(1))!.Keys.Select(k => k.KeyId));
    }

    [Fact]
    public void Without_an_overlap_and_for_keys_already_retired_only_the_new_key_stays()
    {
        Assert.Equal(["new"], ClientRegistrations.From(Record(ClientKeyRetirement.Merge(Jwks(_new, "new"), Jwks(_old, "old"), Now, Now, 10)), Now)!.Keys.Select(k => k.KeyId));

        var once = ClientKeyRetirement.Merge(Jwks(_old, "old"), Jwks(_new, "older"), Now.AddMinutes(5), Now, 10);
        var twice = ClientKeyRetirement.Merge(Jwks(_new, "new"), once, Now.AddHours(1), Now.AddMinutes(10), 10);

        // 'older' retired at +5 min and is dropped; 'old' keeps the overlap of this rotation.
        Assert.Equal(["new", "old"], ClientRegistrations.From(Record(twice), Now.AddMinutes(10))!.Keys.Select(k => k.KeyId));
    }

    [Fact]
    public async Task An_assertion_by_the_retired_key_is_refused_after_the_overlap()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        var merged = ClientKeyRetirement.Merge(Jwks(_new, "new"), Jwks(_old, "old"), Now.AddHours(1), Now, 10);
        var validator = new ClientAssertionValidator("https://as.example", TestJws.Memory(), time);

        var during = await validator.ValidateAsync(ClientAssertion.Create(_old, "old", "svc", "https://as.example", time), ClientRegistrations.From(Record(merged), time.GetUtcNow())!);
        time.Advance(TimeSpan.FromHours(1));
        var after = await validator.ValidateAsync(ClientAssertion.Create(_old, "old", "svc", "https://as.example", time), ClientRegistrations.From(Record(merged), time.GetUtcNow())!);

        Assert.Equal(ReasonCode.Ok, during);
        Assert.NotEqual(ReasonCode.Ok, after);
    }
}
