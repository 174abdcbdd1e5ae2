namespace MutualAuth.AspNetCore.Tokens;

/// <summary>Defaults of sender-constrained access token authentication.</summary>
internal static class AccessTokenDefaults
{
    /// <summary>The scheme name.</summary>
    public const string AuthenticationScheme = "AccessToken";

    /// <summary>
    /// The <see cref="Microsoft.AspNetCore.Http.HttpContext.Items"/> key a gateway sets when the request's route accepts
    /// unbound bearer tokens (<c>token:bearer</c>); bound tokens keep their binding there too.
    /// </summary>
    public static readonly object BearerAllowedItem = new();
}
