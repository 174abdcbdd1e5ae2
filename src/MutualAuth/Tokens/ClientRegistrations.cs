using System.Text.Json;
using MutualAuth.Storage;

namespace MutualAuth.Tokens;

/// <summary>Turns stored client records into <see cref="ClientRegistration"/>s.</summary>
internal static class ClientRegistrations
{
    public const string PrivateKeyJwt = "private_key_jwt";
    public const string TlsClientAuth = "tls_client_auth";
    private const int MaxKeys = 10;
    private const int MaxJwksLength = 64 * 1024;

    /// <summary>The registration, or null when the record's keys cannot be read (the client is then unknown).</summary>
    public static ClientRegistration? From(OAuthClientRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.AuthenticationMethod == TlsClientAuth)
        {
            return new ClientRegistration(record.ClientId, ClientAuthenticationMethod.TlsClientAuth, [], new HashSet<string>(), record.Scopes, record.CertificateSubject);
        }

        var keys = record.AuthenticationMethod == PrivateKeyJwt ? ParseJwks(record.Jwks) : null;
        if (keys is null || keys.Count == 0)
        {
            return null;
        }

        // The registration's algorithms: each key's own (ES256 on P-256, PS256 on RSA, EdDSA on Ed25519).
        var algorithms = new HashSet<string>(JwsAlgorithms.Asymmetric.Where(a => keys.Any(k => k.Fits(a))), StringComparer.Ordinal);
        return new ClientRegistration(record.ClientId, ClientAuthenticationMethod.PrivateKeyJwt, keys, algorithms, record.Scopes);
    }

    /// <summary>The public keys of a JWKS document; null when it is not one, has private members or too many keys.</summary>
    public static List<PublicJwk>? ParseJwks(string? jwks)
    {
        if (jwks is null || jwks.Length > MaxJwksLength)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(jwks, new JsonDocumentOptions { MaxDepth = 8, AllowDuplicateProperties = false });
            if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array || keys.GetArrayLength() > MaxKeys)
            {
                return null;
            }

            var result = new List<PublicJwk>();
            foreach (var key in keys.EnumerateArray())
            {
                var parsed = PublicJwk.Parse(key);
                if (!parsed.IsValid)
                {
                    return null;
                }

                result.Add(parsed.Value!);
            }

            return result;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
