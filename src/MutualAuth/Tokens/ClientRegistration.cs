namespace MutualAuth.Tokens;

/// <summary>How a client authenticates at the token endpoint.</summary>
internal enum ClientAuthenticationMethod
{
    /// <summary>RFC 7523 <c>private_key_jwt</c>: a signed client assertion.</summary>
    PrivateKeyJwt,

    /// <summary>RFC 8705 <c>tls_client_auth</c>: the TLS client certificate.</summary>
    TlsClientAuth,
}

/// <summary>A registered OAuth 2.0 client.</summary>
/// <param name="ClientId">The client identifier (also <c>iss</c> and <c>sub</c> of its assertions).</param>
/// <param name="Method">How it authenticates.</param>
/// <param name="Keys">Its public keys (private_key_jwt).</param>
/// <param name="Algorithms">The assertion algorithms its registration allows (ES256, PS256, EdDSA).</param>
/// <param name="Scopes">The scopes it may ask for.</param>
/// <param name="CertificateSubject">The certificate subject it must present (tls_client_auth).</param>
internal sealed record ClientRegistration(
    string ClientId,
    ClientAuthenticationMethod Method,
    IReadOnlyList<PublicJwk> Keys,
    IReadOnlySet<string> Algorithms,
    IReadOnlyList<string> Scopes,
    string? CertificateSubject = null);
