namespace MutualAuth.Storage;

/// <summary>A registered OAuth 2.0 client of the built-in authorization server.</summary>
public sealed record OAuthClientRecord
{
    /// <summary>The client_id.</summary>
    public required string ClientId { get; init; }

    /// <summary><c>private_key_jwt</c> or <c>tls_client_auth</c>.</summary>
    public required string AuthenticationMethod { get; init; }

    /// <summary>The client's public keys as a JWKS document (<c>private_key_jwt</c>), or null.</summary>
    public string? Jwks { get; init; }

    /// <summary>The scopes the client may ask for.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The certificate subject a <c>tls_client_auth</c> client must present (default: the client_id).</summary>
    public string? CertificateSubject { get; init; }

    /// <summary>When it was registered.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
