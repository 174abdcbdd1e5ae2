using Microsoft.AspNetCore.Http;
using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>Reads and sets the request's <see cref="IMutualIdentityFeature"/>.</summary>
public static class MutualIdentityHttpContextExtensions
{
    /// <summary>The authenticated identity of the request, or null.</summary>
    public static MutualIdentity? GetMutualIdentity(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<IMutualIdentityFeature>()?.Identity;
    }

    /// <summary>Sets (or, with null, clears) the authenticated identity of the request.</summary>
    internal static void SetMutualIdentity(this HttpContext context, MutualIdentity? identity) =>
        context.Features.Set<IMutualIdentityFeature>(identity is null ? null : new MutualIdentityFeature(identity));
}
