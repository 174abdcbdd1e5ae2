using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MutualAuth.AspNetCore.Audit;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.Authentication;
using MutualAuth.Storage;

namespace MutualAuth.Gateway;

/// <summary>
/// Enforces <see cref="GatewayRoute"/>s: accepts a request when every method of one alternative of its route succeeded,
/// else challenges (401) or refuses (403); see docs/architecture.md.
/// </summary>
internal sealed class RouteAuthentication
{
    private readonly IReadOnlyList<GatewayRoute> _routes;
    private readonly AuthenticationMethodRegistry _methods;
    private readonly StoreOutage _outage;

    /// <summary>Creates the middleware for <paramref name="routes"/>.</summary>
    /// <exception cref="InvalidOperationException">A route names a method that is not registered (the message names it and lists the known ones).</exception>
    public RouteAuthentication(IReadOnlyList<GatewayRoute> routes, AuthenticationMethodRegistry methods, StoreOutage? outage = null)
    {
        _routes = routes;
        _methods = methods;
        _outage = outage ?? new StoreOutage(null, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        // At start-up, not per request: a route naming an unknown method is a configuration error, never a fallback.
        foreach (var route in routes.Where(r => !r.IsAnonymous))
        {
            if (route.Alternatives.SelectMany(a => a).FirstOrDefault(m => !methods.TryGet(m, out _)) is { } unknown)
            {
                throw new InvalidOperationException($"Route '{route}' names the method '{unknown}', which is not registered (known: {string.Join(", ", methods.Methods)}).");
            }
        }
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var route = GatewayRoute.Select(_routes, context.Request.Path.Value ?? "/");
        if (route.IsAnonymous)
        {
            // Nothing may pass for an identity here, whatever ran before.
            context.SetMutualIdentity(null);
            context.User = new ClaimsPrincipal(new ClaimsIdentity());
            context.Items[typeof(AnonymousAccess)] = new AnonymousAccess(route);
            await next(context);
            return;
        }

        if (_outage.Refusal is { } unavailable)
        {
            await _outage.RefuseAsync(context, string.Join("+", route.Alternatives[0]), unavailable);
            return;
        }

        if (route.AllowsBearerTokens)
        {
            context.Items[MutualAuth.AspNetCore.Tokens.AccessTokenDefaults.BearerAllowedItem] = true;
        }

        var identities = new Dictionary<string, (AuthenticateResult Result, MutualIdentity? Identity)>(StringComparer.Ordinal);
        for (var index = 0; index < route.Alternatives.Count; index++)
        {
            var alternative = route.Alternatives[index];
            foreach (var method in alternative.Where(m => !identities.ContainsKey(m)))
            {
                try
                {
                    identities[method] = await AuthenticateAsync(context, method);
                }
                catch (StoreException)
                {
                    // The method could not decide (its replay cache, user or key lookup failed): refused, not accepted.
                    await _outage.RefuseAsync(context, method, StoreReasons.StoreUnavailable);
                    return;
                }
            }

            // mtls:hwk: a valid certificate whose key is not on a token (no hardware-key policy) does not satisfy it.
            if (alternative.All(m => identities[m].Identity is not null)
                && route.RequiredAmrOf(index).All(r => alternative.Any(m => identities[m].Identity!.Amr.Contains(r))))
            {
                var accepted = alternative.Select(m => identities[m]).ToList();
                context.User = accepted[0].Result.Principal!;
                foreach (var other in accepted.Skip(1))
                {
                    context.User.AddIdentities(other.Result.Principal!.Identities);
                }

                context.SetMutualIdentity(accepted[0].Identity! with
                {
                    Method = string.Join("+", alternative),
                    Amr = [.. accepted.SelectMany(a => a.Identity!.Amr).Distinct()],
                    Factors = alternative.Count > 1
                        ? [.. alternative.Select(m => new AuthenticationFactor(m, identities[m].Identity!.Subject, identities[m].Identity!.CredentialId))]
                        : [],
                });
                await next(context);
                return;
            }
        }

        AuditMissingHardwareKey(context, route, identities);
        var challenged = false;
        foreach (var challenger in _methods.Challengers)
        {
            if (route.Uses(challenger.Method) && identities.GetValueOrDefault(challenger.Method).Identity is null)
            {
                await context.ChallengeAsync(challenger.Scheme);
                challenged = true;
            }
        }

        if (!challenged)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
        }
    }

    // A valid software-key certificate on an mtls:hwk route: mTLS itself accepted it (and audited that), so the refusal
    // needs its own audit event with its own reason, or the 403 would show no cause anywhere.
    private static void AuditMissingHardwareKey(HttpContext context, GatewayRoute route, Dictionary<string, (AuthenticateResult Result, MutualIdentity? Identity)> identities)
    {
        for (var index = 0; index < route.Alternatives.Count; index++)
        {
            var required = route.RequiredAmrOf(index);
            if (required.Count > 0
                && identities.TryGetValue(AuthenticationMethods.MutualTls, out var mtls) && mtls.Identity is { } identity
                && route.Alternatives[index].Contains(AuthenticationMethods.MutualTls)
                && !required.All(identity.Amr.Contains))
            {
                context.RecordAudit(context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System, AuthenticationMethods.MutualTls, AuditDecision.Refuse,
                    identity.Subject, identity.CredentialId, CertificateReasons.HardwareKeyRequired,
                    $"route {route.PathPrefix} needs amr {string.Join(' ', required)} (a card enrolled with 'mutualauth card enroll'); the certificate has amr {string.Join(' ', identity.Amr)}");
                return;
            }
        }
    }

    private async Task<(AuthenticateResult, MutualIdentity?)> AuthenticateAsync(HttpContext context, string method)
    {
        // No certificate on the connection means mTLS was not attempted: nothing to refuse or audit.
        if (method == AuthenticationMethods.MutualTls && await context.Connection.GetClientCertificateAsync(context.RequestAborted) is null)
        {
            return (AuthenticateResult.NoResult(), null);
        }

        // Get, not a fallback: the constructor made sure every route method is registered.
        var result = await context.AuthenticateAsync(_methods.Get(method).Scheme);
        var identity = result.Succeeded ? context.GetMutualIdentity() : null;
        context.SetMutualIdentity(null);
        return (result, identity);
    }
}

/// <summary>Marks a request that a <see cref="GatewayRoute.NoAuthentication"/> route let through without any identity.</summary>
/// <param name="Route">The route.</param>
internal sealed record AnonymousAccess(GatewayRoute Route);
