namespace MutualAuth.Scram;

/// <summary>Names and choices of SCRAM over HTTP (RFC 7804) that the server and the client must share.</summary>
internal static class ScramHttp
{
    /// <summary>The prefix of every SCRAM authentication scheme name (RFC 7804), e.g. <c>SCRAM-SHA-256</c>.</summary>
    public const string SchemePrefix = "SCRAM-";

    /// <summary>The cookie that carries a session after a successful exchange (<c>__Host-</c>: Secure, Path=/, no Domain).</summary>
    public const string SessionCookie = "__Host-mutualauth-scram";

    /// <summary>The response header that carries server-final (the ServerSignature) with the exchange's <c>sid</c>.</summary>
    public const string AuthenticationInfo = "Authentication-Info";

    /// <summary>The auth-param that names a pending exchange.</summary>
    public const string Sid = "sid";

    /// <summary>The auth-param that carries a SCRAM message, base64.</summary>
    public const string Data = "data";

    /// <summary>The auth-param that names the protection realm.</summary>
    public const string Realm = "realm";

    /// <summary>
    /// Mechanisms in order of preference: -PLUS first, then SCRAM-SHA-256 before SHA-512 among equals, because RFC 7804
    /// makes SHA-256 mandatory and it is the verifier every user has (users imported from PostgreSQL have no other).
    /// </summary>
    public static IReadOnlyList<ScramMechanism> MechanismPreference { get; } =
        [ScramMechanism.Sha256Plus, ScramMechanism.Sha512Plus, ScramMechanism.Sha256, ScramMechanism.Sha512];
}
