namespace MutualAuth.Authentication;

/// <summary>Method names and RFC 8176 <c>amr</c> values.</summary>
public static class AuthenticationMethods
{
    /// <summary>Mutual TLS with X.509 certificates.</summary>
    public const string MutualTls = "mtls";

    /// <summary>SCRAM password authentication with server proof (RFC 5802, RFC 7804).</summary>
    public const string Scram = "scram";

    /// <summary>HTTP Message Signatures (RFC 9421) on requests and responses: mutual API keys.</summary>
    public const string HttpSignature = "sig";

    /// <summary>OAuth 2.0 access tokens bound to a DPoP key or a client certificate (RFC 9068, RFC 9449, RFC 8705).</summary>
    public const string Token = "token";

    /// <summary>WebAuthn passkeys with user verification (W3C Web Authentication Level 3).</summary>
    public const string WebAuthn = "webauthn";

    /// <summary>RFC 8176 <c>user</c>: user presence test (WebAuthn: the authenticator verified the user).</summary>
    public const string AmrUserPresence = "user";

    /// <summary>RFC 8176 <c>pwd</c>: password-based authentication.</summary>
    public const string AmrPassword = "pwd";

    /// <summary>RFC 8176 <c>swk</c>: proof of possession of a software-secured key.</summary>
    public const string AmrSoftwareKey = "swk";

    /// <summary>RFC 8176 <c>hwk</c>: proof of possession of a hardware-secured key (a certificate with our CA's hardware-key policy, or a passkey that cannot be synced).</summary>
    public const string AmrHardwareKey = "hwk";

    /// <summary>RFC 8176 <c>sc</c>: smart card (given with <c>hwk</c> for a key enrolled on a PKCS#11 token).</summary>
    public const string AmrSmartCard = "sc";
}
