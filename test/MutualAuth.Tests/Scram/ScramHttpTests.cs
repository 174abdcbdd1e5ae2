using MutualAuth.Scram;

namespace MutualAuth.Tests.Scram;

/// <summary>The SCRAM-over-HTTP names both sides share are a wire contract: deployed clients and servers rely on them.</summary>
public sealed class ScramHttpTests
{
    [Fact]
    public void The_names_on_the_wire_are_stable()
    {
        Assert.Equal(
            ("__Host-mutualauth-scram", "Authentication-Info", "sid", "data", "realm", "SCRAM-"),
            (ScramHttp.SessionCookie, ScramHttp.AuthenticationInfo, ScramHttp.Sid, ScramHttp.Data, ScramHttp.Realm, ScramHttp.SchemePrefix));
    }

    [Fact]
    public void Plus_comes_first_then_sha256_before_sha512()
    {
        Assert.Equal(
            ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-512-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-512"],
            ScramHttp.MechanismPreference.Select(m => m.Name));
    }
}
