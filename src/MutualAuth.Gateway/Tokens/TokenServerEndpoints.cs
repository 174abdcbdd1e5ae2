using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MutualAuth.Tokens;

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

    /// <summary>The <c>token</c> route method, accepting the tokens of this authorization server and of the external ones configured.</summary>
    public static void AddResource(AuthenticationBuilder authentication, TokenServerOptions options, TimeProvider time)
    {
        var nonces = options.RequireDpopNonce ? new DpopNonces(options.NonceSecret, TokenEndpoint.NonceStep, time) : null;
        authentication.AddAccessTokens(o =>
        {
            o.Issuers = [TrustedIssuer.Pinned(options.IssuerIdentifier, PinnedKeys(options)), .. options.ExternalIssuers];
            o.Audience = options.IssuerIdentifier;
            o.PublicUrl = options.Issuer;
            o.SingleUse = options.SingleUse(time);
            o.Nonces = nonces;
        });
    }

    // The verification keys are rebuilt only when the key set changes (rotation), not per request.
    private static Func<IReadOnlyList<PublicJwk>> PinnedKeys(TokenServerOptions options)
    {
        (TokenSigningKeys Keys, IReadOnlyList<PublicJwk> Pinned)? cache = null;
        return () =>
        {
            var keys = options.SigningKeys();
            var current = cache;
            if (current is null || !ReferenceEquals(current.Value.Keys, keys))
            {
                current = (keys, [.. keys.Published.Select(k => PublicJwk.From(k.Key, k.KeyId))]);
                cache = current;
            }

            return current.Value.Pinned;
        };
    }

    /// <summary>
    /// The resource's response-signing key: the authorization server's current token key under its JWKS <c>kid</c>, so
    /// a client pins it from the metadata it already trusts (a fresh wrapper per call; the token key stays the store's).
    /// </summary>
    public static (string KeyId, MutualAuth.MessageSignatures.HttpSignatureKey Key) ResponseSigningKey(TokenServerOptions options)
    {
        var keys = options.SigningKeys();
        var algorithm = keys.Current.Algorithm switch
        {
            MutualAuth.Keys.SigningKeyAlgorithm.EcdsaP256 => MutualAuth.MessageSignatures.HttpSignatureAlgorithm.EcdsaP256Sha256,
            MutualAuth.Keys.SigningKeyAlgorithm.EcdsaP384 => MutualAuth.MessageSignatures.HttpSignatureAlgorithm.EcdsaP384Sha384,
            MutualAuth.Keys.SigningKeyAlgorithm.Ed25519 => MutualAuth.MessageSignatures.HttpSignatureAlgorithm.Ed25519,
            _ => MutualAuth.MessageSignatures.HttpSignatureAlgorithm.RsaPssSha512,
        };
        return (keys.CurrentKeyId, MutualAuth.MessageSignatures.HttpSignatureKey.FromSigningKey(keys.Current, algorithm));
    }

    public static void Map(IEndpointRouteBuilder app, TokenServerOptions options, TimeProvider time)
    {
        var token = new TokenEndpoint(options, time);
        app.MapPost(TokenServerPaths.Token, token.HandleAsync);
        app.MapGet(TokenServerPaths.AuthorizationServerMetadata, context => Json(context, TokenServerMetadata.AuthorizationServer(options)));
        app.MapGet(TokenServerPaths.ProtectedResourceMetadata, context => Json(context, TokenServerMetadata.ProtectedResource(options)));
        app.MapGet(TokenServerPaths.Jwks, context => Json(context, TokenServerMetadata.Jwks(options), "application/jwk-set+json"));
    }

    private static Task Json(HttpContext context, byte[] body, string type = "application/json") => Results.Bytes(body, type).ExecuteAsync(context);
}
