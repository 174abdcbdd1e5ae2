namespace MutualAuth.AspNetCore.WebAuthn;

/// <summary>Default names of the WebAuthn scheme.</summary>
public static class WebAuthnDefaults
{
    /// <summary>The ASP.NET Core authentication scheme name.</summary>
    public const string AuthenticationScheme = "WebAuthn";

    /// <summary>The cookie that carries a session after a WebAuthn login (<c>__Host-</c>: Secure, Path=/, no Domain).</summary>
    public const string SessionCookie = "__Host-mutualauth-webauthn";

    /// <summary>The path of the login page and its ceremony endpoints.</summary>
    public const string BasePath = "/webauthn";
}
