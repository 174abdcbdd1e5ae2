namespace MutualAuth.AspNetCore.Scram;

/// <summary>Default names of the SCRAM HTTP authentication scheme (RFC 7804).</summary>
public static class ScramDefaults
{
    /// <summary>The ASP.NET Core authentication scheme name.</summary>
    public const string AuthenticationScheme = "SCRAM";

    /// <summary>The default protection realm sent in challenges.</summary>
    public const string Realm = "mutualauth";

    /// <summary>The cookie that carries a session after a successful exchange (<c>__Host-</c>: Secure, Path=/, no Domain).</summary>
    public const string SessionCookie = MutualAuth.Scram.ScramHttp.SessionCookie;
}
