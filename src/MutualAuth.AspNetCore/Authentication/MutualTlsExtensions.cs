using Microsoft.AspNetCore.Authentication;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.Authentication;
using MutualAuth.Storage;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace, as ASP.NET Core's own do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the mutual TLS authentication scheme.</summary>
public static class MutualTlsExtensions
{
    /// <summary>Adds the scheme under <see cref="MutualTlsDefaults.AuthenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Sets <see cref="MutualTlsOptions.TrustPolicy"/> and events.</param>
    public static AuthenticationBuilder AddMutualTls(this AuthenticationBuilder builder, Action<MutualTlsOptions> configure) =>
        builder.AddMutualTls(MutualTlsDefaults.AuthenticationScheme, configure);

    /// <summary>
    /// Adds the scheme under <paramref name="authenticationScheme"/> as the method <c>mtls</c>. Also registers an <see cref="IAuditSink"/>
    /// (log, plus the <see cref="IAuditStore"/> when one is registered) unless one exists.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="configure">Sets <see cref="MutualTlsOptions.TrustPolicy"/> and events.</param>
    public static AuthenticationBuilder AddMutualTls(this AuthenticationBuilder builder, string authenticationScheme, Action<MutualTlsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMutualAuthMethod(AuthenticationMethods.MutualTls, authenticationScheme, challengeOrder: null);
        return builder.AddScheme<MutualTlsOptions, MutualTlsHandler>(authenticationScheme, configure);
    }
}
