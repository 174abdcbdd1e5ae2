using Microsoft.AspNetCore.Authentication;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.AspNetCore.MessageSignatures;
using MutualAuth.Authentication;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace, as ASP.NET Core's own do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the HTTP Message Signatures scheme (RFC 9421).</summary>
public static class HttpSignatureExtensions
{
    /// <summary>
    /// Adds the scheme under <paramref name="authenticationScheme"/> as the method <c>sig</c>, and an <see cref="IAuditSink"/> unless one is
    /// registered. Sign responses with <see cref="ResponseSignatureMiddleware"/> after authentication.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Sets the client resolver, the replay cache and limits.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    public static AuthenticationBuilder AddHttpSignatures(this AuthenticationBuilder builder, Action<HttpSignatureAuthenticationOptions> configure,
        string authenticationScheme = HttpSignatureDefaults.AuthenticationScheme)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMutualAuthMethod(AuthenticationMethods.HttpSignature, authenticationScheme, challengeOrder: 1);
        return builder.AddScheme<HttpSignatureAuthenticationOptions, HttpSignatureAuthenticationHandler>(authenticationScheme, configure);
    }
}
