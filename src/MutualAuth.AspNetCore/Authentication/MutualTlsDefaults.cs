namespace MutualAuth.AspNetCore.Authentication;

/// <summary>Default values of the mutual TLS authentication scheme.</summary>
public static class MutualTlsDefaults
{
    /// <summary>The default scheme name, <c>MutualTls</c>.</summary>
    public const string AuthenticationScheme = "MutualTls";
}
