using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MutualAuth.AspNetCore.Audit;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>What every <c>Add…</c> of a method registers besides its scheme: the method registry entry and the audit sink.</summary>
internal static class AuthenticationBuilderMethodExtensions
{
    public static AuthenticationBuilder AddMutualAuthMethod(this AuthenticationBuilder builder, string method, string scheme, int? challengeOrder)
    {
        builder.Services.TryAddAuditSink();
        builder.Services.TryAddSingleton<AuthenticationMethodRegistry>();
        builder.Services.AddSingleton(new AuthenticationMethodRegistration(method, scheme, challengeOrder));
        return builder;
    }
}
