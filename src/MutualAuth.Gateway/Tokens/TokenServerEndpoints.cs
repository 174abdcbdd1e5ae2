using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MutualAuth.Gateway.Tokens;

/// <summary>Adds the authorization server to the gateway: its <c>none</c> routes and its four endpoints.</summary>
internal static class TokenServerEndpoints
{
    /// <summary>Each path answers without route authentication (the token endpoint authenticates the client itself), unless a route names it.</summary>
    public static void AddRoutes(IList<GatewayRoute> routes)
    {
        foreach (var path in TokenServerPaths.All.Where(p => !routes.Any(r => r.PathPrefix == p)))
        {
            routes.Add(new GatewayRoute(path, [[GatewayRoute.NoAuthentication]]));
        }
    }

    public static TokenEndpoint Map(IEndpointRouteBuilder app, TokenServerOptions options, TimeProvider time)
    {
        var token = new TokenEndpoint(options, time);
        app.MapPost(TokenServerPaths.Token, token.HandleAsync);
        app.MapGet(TokenServerPaths.AuthorizationServerMetadata, context => Json(context, TokenServerMetadata.AuthorizationServer(options)));
        app.MapGet(TokenServerPaths.ProtectedResourceMetadata, context => Json(context, TokenServerMetadata.ProtectedResource(options)));
        app.MapGet(TokenServerPaths.Jwks, context => Json(context, TokenServerMetadata.Jwks(options), "application/jwk-set+json"));
        return token;
    }

    private static Task Json(HttpContext context, byte[] body, string type = "application/json") => Results.Bytes(body, type).ExecuteAsync(context);
}
