using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.AspNetCore.WebAuthn;
using MutualAuth.Authentication;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace, as ASP.NET Core's own do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the WebAuthn scheme (passkeys with user verification).</summary>
public static class WebAuthnExtensions
{
    /// <summary>Adds the scheme as the method <c>webauthn</c>, with Data Protection (session cookies); map the page and ceremonies with <c>MapWebAuthn</c>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Sets the policy, the stores and the session lifetime.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    public static AuthenticationBuilder AddWebAuthn(this AuthenticationBuilder builder, Action<WebAuthnOptions> configure, string authenticationScheme = WebAuthnDefaults.AuthenticationScheme)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddDataProtection();
        builder.Services.TryAddSingleton<WebAuthnSchemeState>();
        // No 401 challenge: a browser logs in on the page, not through WWW-Authenticate.
        builder.AddMutualAuthMethod(AuthenticationMethods.WebAuthn, authenticationScheme, challengeOrder: null);
        return builder.AddScheme<WebAuthnOptions, WebAuthnAuthenticationHandler>(authenticationScheme, configure);
    }
}
