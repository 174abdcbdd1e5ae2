using System.Security.Cryptography;
using MutualAuth.Storage;
using MutualAuth.Tokens;

namespace MutualAuth.Gateway.Tokens;

/// <summary>The built-in OAuth 2.0 authorization server of <c>serve</c> (client credentials; docs/tokens.md).</summary>
internal sealed class TokenServerOptions
{
    /// <summary>
    /// Our issuer identifier and public URL (<c>https://host:port</c>): <c>iss</c>, the assertion audience, and the base
    /// of every URL a DPoP proof is compared with. Never taken from the Host header.
    /// </summary>
    public required Uri Issuer { get; init; }

    /// <summary>Finds a registered client by client_id.</summary>
    public required Func<string, CancellationToken, ValueTask<ClientRegistration?>> Clients { get; init; }

    /// <summary>The token signing keys (current and published).</summary>
    public required Func<TokenSigningKeys> SigningKeys { get; init; }

    /// <summary>Remembers assertion and DPoP <c>jti</c>s.</summary>
    public required IReplayCache ReplayCache { get; init; }

    /// <summary>External authorization servers whose tokens the <c>token</c> routes accept too (<c>serve --token-issuer</c>).</summary>
    public IReadOnlyList<TrustedIssuer> ExternalIssuers { get; init; } = [];

    /// <summary>The DPoP nonce secret (32 bytes), shared by the nodes; random per process by default.</summary>
    public byte[] NonceSecret { get; init; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>Whether every DPoP proof must carry a server nonce (RFC 9449 §8); on by default.</summary>
    public bool RequireDpopNonce { get; init; } = true;

    /// <summary>How long an access token lives.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The issuer identifier as a string: scheme and authority, no trailing slash.</summary>
    public string IssuerIdentifier => Issuer.GetLeftPart(UriPartial.Authority);

    /// <summary>The absolute URL of <paramref name="path"/> under the issuer.</summary>
    public Uri Url(string path) => new(IssuerIdentifier + path);

    /// <summary>Records a once-only value in the replay cache (the store operation behind both <c>jti</c> checks).</summary>
    public SingleUse SingleUse(TimeProvider time) =>
        (scope, value, expires, cancellationToken) => ReplayCache.TryAddAsync(scope, value, expires, time.GetUtcNow(), cancellationToken);
}
