namespace MutualAuth.Authentication;

/// <summary>Claim types of a <see cref="MutualIdentity"/> principal (JWT names where one exists).</summary>
public static class MutualClaimTypes
{
    /// <summary>The subject (<c>sub</c>, RFC 7519 §4.1.2).</summary>
    public const string Subject = "sub";

    /// <summary>Authentication method references (<c>amr</c>, RFC 8176).</summary>
    public const string Amr = "amr";

    /// <summary>The MutualAuth method name (<c>mtls</c>, <c>scram</c>…).</summary>
    public const string Method = "mutualauth:method";

    /// <summary>The credential id (certificate serial, key id, user).</summary>
    public const string CredentialId = "mutualauth:credential";

    /// <summary>A DNS SAN.</summary>
    public const string DnsName = "mutualauth:san:dns";

    /// <summary>An IP SAN.</summary>
    public const string IpAddress = "mutualauth:san:ip";

    /// <summary>A URI SAN (SPIFFE ID).</summary>
    public const string Uri = "mutualauth:san:uri";
}
