using System.Text.Json;
using MutualAuth.Storage;

namespace MutualAuth.Tokens;

/// <summary>Turns stored client records into <see cref="ClientRegistration"/>s.</summary>
internal static class ClientRegistrations
{
    public const string PrivateKeyJwt = "private_key_jwt";
    public const string TlsClientAuth = "tls_client_auth";
    /// <summary>The most keys a client's JWKS may hold (the new one and those retiring after rotations).</summary>
    public const int MaxKeys = 10;
    private const int MaxJwksLength = 64 * 1024;

    /// <summary>The registration at <paramref name="now"/>, or null when the record's keys cannot be read (the client is then unknown).</summary>
    /// <remarks>Keys retired by <c>client rotate</c> (<see cref="ClientKeyRetirement"/>) count until their <c>exp</c>, then not.</remarks>
    public static ClientRegistration? From(OAuthClientRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.AuthenticationMethod == TlsClientAuth)
        {
            return new ClientRegistration(record.ClientId, ClientAuthenticationMethod.TlsClientAuth, [], new HashSet<string>(), record.Scopes, record.CertificateSubject);
        }

        var keys = record.AuthenticationMethod == PrivateKeyJwt ? ParseJwks(record.Jwks, now) : null;
        if (keys is null || keys.Count == 0)
        {
            return null;
        }

        // The registration's algorithms: each key's own (ES256 on P-256, PS256 on RSA, EdDSA on Ed25519).
        var algorithms = new HashSet<string>(JwsAlgorithms.Asymmetric.Where(a => keys.Any(k => k.Fits(a))), StringComparer.Ordinal);
        return new ClientRegistration(record.ClientId, ClientAuthenticationMethod.PrivateKeyJwt, keys, algorithms, record.Scopes);
    }

    /// <summary>
    /// The public keys of a JWKS document, without those retired at <paramref name="now"/> when it is given; null when it
    /// is not one, has private members or too many keys.
    /// </summary>
    public static List<PublicJwk>? ParseJwks(string? jwks, DateTimeOffset? now = null)
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
                if (now is { } at && ClientKeyRetirement.IsRetired(key, at))
                {
                    continue;
                }

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
