namespace MutualAuth.Gateway.Tokens;

/// <summary>Where the authorization server answers; each path is a <c>none</c> route (the endpoint authenticates the client itself).</summary>
internal static class TokenServerPaths
{
    public const string Token = "/oauth/token";
    public const string Jwks = "/oauth/jwks";

    /// <summary>RFC 8414 §3.</summary>
    public const string AuthorizationServerMetadata = "/.well-known/oauth-authorization-server";

    /// <summary>RFC 9728 §3.</summary>
    public const string ProtectedResourceMetadata = "/.well-known/oauth-protected-resource";

    public static readonly IReadOnlyList<string> All = [Token, Jwks, AuthorizationServerMetadata, ProtectedResourceMetadata];
}
