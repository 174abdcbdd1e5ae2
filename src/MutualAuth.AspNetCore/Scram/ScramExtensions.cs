using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.AspNetCore.Scram;
using MutualAuth.Authentication;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace, as ASP.NET Core's own do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the SCRAM HTTP authentication scheme (RFC 7804).</summary>
public static class ScramExtensions
{
    /// <summary>Adds the scheme as the method <c>scram</c>, with Data Protection (session cookies) and an <see cref="IAuditSink"/> unless one is registered.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Sets the user store, the server secret and limits.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    public static AuthenticationBuilder AddScram(this AuthenticationBuilder builder, Action<ScramAuthenticationOptions> configure, string authenticationScheme = ScramDefaults.AuthenticationScheme)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddDataProtection();
        builder.Services.TryAddSingleton<ScramSchemeState>();
        // Its 401 challenge goes after the signature scheme's when a route offers both.
        builder.AddMutualAuthMethod(AuthenticationMethods.Scram, authenticationScheme, challengeOrder: 2);
        return builder.AddScheme<ScramAuthenticationOptions, ScramAuthenticationHandler>(authenticationScheme, configure);
    }
}
