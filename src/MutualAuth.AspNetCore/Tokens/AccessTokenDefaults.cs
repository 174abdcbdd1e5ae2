namespace MutualAuth.AspNetCore.Tokens;

/// <summary>Defaults of sender-constrained access token authentication.</summary>
internal static class AccessTokenDefaults
{
    /// <summary>The scheme name.</summary>
    public const string AuthenticationScheme = "AccessToken";
}
