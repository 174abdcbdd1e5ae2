using System.Security.Cryptography;
using MutualAuth.Keys;

namespace MutualAuth.Tokens;

/// <summary>Creates <c>private_key_jwt</c> client assertions (RFC 7523 §3, explicitly typed as rfc7523bis asks).</summary>
internal static class ClientAssertion
{
    /// <summary>An assertion for <paramref name="clientId"/> to the authorization server <paramref name="issuer"/>.</summary>
    public static string Create(SigningKey key, string? keyId, string clientId, string issuer, TimeProvider time, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        return JwsWriter.Sign(key, TokenNames.ClientAssertionType, h =>
        {
            if (keyId is not null)
            {
                h.WriteString("kid", keyId);
            }
        }, p =>
        {
            p.WriteString("iss", clientId);
            p.WriteString("sub", clientId);
            p.WriteString("aud", issuer);
            p.WriteString("jti", Base64UrlText.Encode(RandomNumberGenerator.GetBytes(16)));
            p.WriteNumber("iat", now.ToUnixTimeSeconds());
            p.WriteNumber("exp", (now + (lifetime ?? TimeSpan.FromMinutes(1))).ToUnixTimeSeconds());
        });
    }
}
