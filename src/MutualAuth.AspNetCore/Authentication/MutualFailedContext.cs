using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>Context of <c>OnFailed</c>: why the method refused the peer.</summary>
/// <typeparam name="TOptions">The scheme's options.</typeparam>
public class MutualFailedContext<TOptions>(HttpContext context, AuthenticationScheme scheme, TOptions options, ReasonCode reason, string detail)
    : ResultContext<TOptions>(context, scheme, options)
    where TOptions : AuthenticationSchemeOptions
{
    /// <summary>The reason code, from the method's catalogue.</summary>
    public ReasonCode Reason { get; } = reason;

    /// <summary>An operator-facing sentence; no secrets.</summary>
    public string Detail { get; } = detail;
}
