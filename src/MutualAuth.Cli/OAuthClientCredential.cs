using System.Text.Json;
using MutualAuth.Keys;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Tokens;

namespace MutualAuth.Cli;

/// <summary>
/// A private_key_jwt client's credential file (<c>credentials/NAME.oauth.json</c>, owner-only): its client_id, the
/// <c>kid</c> of its key, and the private key (PKCS#8 PEM) or, for a key on a PKCS#11 token, the key's URI (never a PIN).
/// </summary>
internal sealed record OAuthClientCredential(string ClientId, string KeyId, string? PrivateKeyPem, string? KeyUri = null)
{
    private const int MaxSize = 64 * 1024;

    public static string PathFor(DataFolder folder, string client) => Path.Combine(folder.Root, "credentials", client + ".oauth.json");

    /// <summary>A new ES256 key pair for <paramref name="clientId"/>: the credential and the public JWKS to register.</summary>
    public static (OAuthClientCredential Credential, string Jwks) Create(string clientId)
    {
        using var key = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
        var keyId = NewKeyId(clientId);
        return (new OAuthClientCredential(clientId, keyId, key.ExportPkcs8Pem()), Jwks(key, keyId));
    }

    /// <summary>The credential of a client whose key stays on a token (<paramref name="keyUri"/>), and the public JWKS to register.</summary>
    public static (OAuthClientCredential Credential, string Jwks) ForTokenKey(string clientId, SigningKey key, string keyUri)
    {
        var keyId = NewKeyId(clientId);
        return (new OAuthClientCredential(clientId, keyId, null, keyUri), Jwks(key, keyId));
    }

    public void Write(string path) => DataFolder.WriteFile(path, System.Text.Encoding.UTF8.GetString(JwsWriter.Json(w =>
    {
        w.WriteString("client_id", ClientId);
        w.WriteString("key_id", KeyId);
        w.WriteString(KeyUri is null ? "private_key" : "key_uri", KeyUri ?? PrivateKeyPem);
    })), secret: true);

    /// <exception cref="CliException">The file is missing or not a credential file.</exception>
    public static OAuthClientCredential Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(InputFiles.ReadBytes(path, MaxSize));
            var root = document.RootElement;
            var privateKey = root.TryGetProperty("private_key", out var pem) ? pem.GetString() : null;
            var keyUri = root.TryGetProperty("key_uri", out var uri) ? uri.GetString() : null;
            return (privateKey is null) == (keyUri is null)
                ? throw new InvalidOperationException("exactly one of private_key and key_uri")
                : new OAuthClientCredential(root.GetProperty("client_id").GetString()!, root.GetProperty("key_id").GetString()!, privateKey, keyUri);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw CliException.Usage($"{path} is not an OAuth client credential file (client_id, key_id, and private_key or key_uri).", e);
        }
    }

    private static string NewKeyId(string clientId) => clientId + "-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

    private static string Jwks(SigningKey key, string keyId) => System.Text.Encoding.UTF8.GetString(JwsWriter.Json(w =>
    {
        w.WriteStartArray("keys");
        PublicJwk.Write(w, key, keyId, "sig");
        w.WriteEndArray();
    }));
}
