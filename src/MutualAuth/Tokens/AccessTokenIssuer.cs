using System.Security.Cryptography;
using MutualAuth.Keys;

namespace MutualAuth.Tokens;

/// <summary>Issues RFC 9068 JWT access tokens (<c>typ</c> <c>at+jwt</c>), sender-constrained through <c>cnf</c>.</summary>
/// <param name="issuer">Our issuer identifier (<c>iss</c>).</param>
/// <param name="key">The current signing key.</param>
/// <param name="keyId">Its <c>kid</c> in the JWKS.</param>
/// <param name="time">The clock.</param>
internal sealed class AccessTokenIssuer(string issuer, SigningKey key, string keyId, TimeProvider time)
{
    /// <summary>How long a token lives.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A token for <paramref name="clientId"/> to <paramref name="audience"/>.</summary>
    public string Issue(string clientId, string audience, IReadOnlyCollection<string> scopes, TokenConfirmation confirmation)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(confirmation);
        var now = time.GetUtcNow();
        return JwsWriter.Sign(key, TokenNames.AccessTokenType, h => h.WriteString("kid", keyId), p =>
        {
            p.WriteString("iss", issuer);
            p.WriteString("sub", clientId);
            p.WriteString("aud", audience);
            p.WriteString("client_id", clientId);
            p.WriteNumber("iat", now.ToUnixTimeSeconds());
            p.WriteNumber("exp", (now + Lifetime).ToUnixTimeSeconds());
            p.WriteString("jti", Base64UrlText.Encode(RandomNumberGenerator.GetBytes(16)));
            if (scopes.Count > 0)
            {
                p.WriteString("scope", string.Join(' ', scopes));
            }

            if (confirmation.IsBound)
            {
                p.WriteStartObject("cnf");
                if (confirmation.JwkThumbprint is { } jkt)
                {
                    p.WriteString(TokenNames.JwkThumbprintClaim, jkt);
                }

                if (confirmation.CertificateThumbprint is { } x5t)
                {
                    p.WriteString(TokenNames.CertificateThumbprintClaim, x5t);
                }

                p.WriteEndObject();
            }
        });
    }
}
