using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.AspNetCore.MessageSignatures;
using MutualAuth.AspNetCore.Scram;
using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Gateway;

/// <summary>
/// Enforces <see cref="GatewayRoute"/>s: authenticates the methods the request's route names, accepts it when
/// every method of one alternative succeeded, and otherwise challenges (401 with SCRAM challenges or
/// <c>Accept-Signature</c> for the methods the route offers and the client has not passed, else 403). The accepted identity is the first method's, with the methods joined
/// by <c>+</c> and the <c>amr</c> values of all. A route of <see cref="GatewayRoute.NoAuthentication"/> lets every request
/// through without authenticating it and without an identity; it is marked with <see cref="AnonymousAccess"/>.
/// </summary>
internal sealed class RouteAuthentication(IReadOnlyList<GatewayRoute> routes)
{
    /// <summary>Methods that can challenge the client (401), in the order their challenges are written.</summary>
    private static readonly (string Method, string Scheme)[] Challengers =
        [(AuthenticationMethods.HttpSignature, HttpSignatureDefaults.AuthenticationScheme), (AuthenticationMethods.Scram, ScramDefaults.AuthenticationScheme)];

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var route = GatewayRoute.Select(routes, context.Request.Path.Value ?? "/");
        if (route.IsAnonymous)
        {
            // Nothing may pass for an identity here, whatever ran before.
            context.Items.Remove(typeof(MutualIdentity));
            context.User = new ClaimsPrincipal(new ClaimsIdentity());
            context.Items[typeof(AnonymousAccess)] = new AnonymousAccess(route);
            await next(context);
            return;
        }

        var identities = new Dictionary<string, (AuthenticateResult Result, MutualIdentity? Identity)>(StringComparer.Ordinal);
        foreach (var alternative in route.Alternatives)
        {
            foreach (var method in alternative.Where(m => !identities.ContainsKey(m)))
            {
                identities[method] = await AuthenticateAsync(context, method);
            }

            if (alternative.All(m => identities[m].Identity is not null))
            {
                var accepted = alternative.Select(m => identities[m]).ToList();
                context.User = accepted[0].Result.Principal!;
                foreach (var other in accepted.Skip(1))
                {
                    context.User.AddIdentities(other.Result.Principal!.Identities);
                }

                context.Items[typeof(MutualIdentity)] = accepted[0].Identity! with
                {
                    Method = string.Join("+", alternative),
                    Amr = [.. accepted.SelectMany(a => a.Identity!.Amr).Distinct()],
                    Factors = alternative.Count > 1
                        ? [.. alternative.Select(m => new AuthenticationFactor(m, identities[m].Identity!.Subject, identities[m].Identity!.CredentialId))]
                        : [],
                };
                await next(context);
                return;
            }
        }

        var challenged = false;
        foreach (var (method, scheme) in Challengers)
        {
            if (route.Uses(method) && identities.GetValueOrDefault(method).Identity is null)
            {
                await context.ChallengeAsync(scheme);
                challenged = true;
            }
        }

        if (!challenged)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
        }
    }

    private static async Task<(AuthenticateResult, MutualIdentity?)> AuthenticateAsync(HttpContext context, string method)
    {
        // No certificate on the connection means mTLS was not attempted: nothing to refuse or audit.
        if (method == AuthenticationMethods.MutualTls && await context.Connection.GetClientCertificateAsync(context.RequestAborted) is null)
        {
            return (AuthenticateResult.NoResult(), null);
        }

        var result = await context.AuthenticateAsync(method switch
        {
            AuthenticationMethods.MutualTls => MutualTlsDefaults.AuthenticationScheme,
            AuthenticationMethods.Scram => ScramDefaults.AuthenticationScheme,
            _ => HttpSignatureDefaults.AuthenticationScheme,
        });
        var identity = result.Succeeded ? context.Items[typeof(MutualIdentity)] as MutualIdentity : null;
        context.Items.Remove(typeof(MutualIdentity));
        return (result, identity);
    }
}

/// <summary>Marks a request that a <see cref="GatewayRoute.NoAuthentication"/> route let through without any identity.</summary>
/// <param name="Route">The route.</param>
internal sealed record AnonymousAccess(GatewayRoute Route);
