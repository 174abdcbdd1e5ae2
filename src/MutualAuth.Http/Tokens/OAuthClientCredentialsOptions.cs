using MutualAuth.Keys;

namespace MutualAuth.Http;

/// <summary>How <see cref="OAuthClientCredentialsHandler"/> gets and uses sender-constrained access tokens.</summary>
public sealed class OAuthClientCredentialsOptions
{
    /// <summary>The authorization server's issuer identifier; its RFC 8414 metadata must name exactly this issuer.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>The client_id.</summary>
    public string? ClientId { get; set; }

    /// <summary>The key that signs client assertions (<c>private_key_jwt</c>); null for <c>tls_client_auth</c>.</summary>
    public SigningKey? ClientKey { get; set; }

    /// <summary>The <c>kid</c> of <see cref="ClientKey"/> in the client's registration.</summary>
    public string? ClientKeyId { get; set; }

    /// <summary>The DPoP key (RFC 9449); tokens are bound to it. Null binds them to the TLS client certificate instead.</summary>
    public SigningKey? DpopKey { get; set; }

    /// <summary>The scopes to ask for (space-separated), or null for all the client's.</summary>
    public string? Scope { get; set; }

    /// <summary>A token is renewed when it has less than this left.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Clock for assertions, proofs and expiry.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (Issuer is null || Issuer.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(ClientId))
        {
            throw new InvalidOperationException("OAuth client credentials need an https issuer and a client_id.");
        }

        if (ClientKey is not null && string.IsNullOrEmpty(ClientKeyId))
        {
            throw new InvalidOperationException("A client key needs its key id.");
        }
    }
}
