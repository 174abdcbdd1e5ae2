using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>Context of <c>OnValidated</c>: the identity the method established.</summary>
/// <typeparam name="TOptions">The scheme's options.</typeparam>
public class MutualValidatedContext<TOptions>(HttpContext context, AuthenticationScheme scheme, TOptions options, MutualIdentity identity)
    : ResultContext<TOptions>(context, scheme, options)
    where TOptions : AuthenticationSchemeOptions
{
    /// <summary>The identity the method established.</summary>
    public MutualIdentity Identity { get; } = identity;
}
