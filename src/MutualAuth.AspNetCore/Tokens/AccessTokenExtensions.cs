using Microsoft.AspNetCore.Authentication;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.AspNetCore.Tokens;
using MutualAuth.Authentication;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace, as ASP.NET Core's own do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers access token authentication (the <c>token</c> route method).</summary>
internal static class AccessTokenExtensions
{
    public static AuthenticationBuilder AddAccessTokens(this AuthenticationBuilder builder, Action<AccessTokenAuthenticationOptions> configure,
        string authenticationScheme = AccessTokenDefaults.AuthenticationScheme)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMutualAuthMethod(AuthenticationMethods.Token, authenticationScheme, challengeOrder: 3);
        return builder.AddScheme<AccessTokenAuthenticationOptions, AccessTokenAuthenticationHandler>(authenticationScheme, configure);
    }
}
