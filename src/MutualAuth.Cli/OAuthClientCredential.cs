using System.Text.Json;
using MutualAuth.Keys;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Tokens;

namespace MutualAuth.Cli;

/// <summary>
/// A private_key_jwt client's credential file (<c>credentials/NAME.oauth.json</c>, owner-only): its client_id, the
/// <c>kid</c> of its key, and the private key (PKCS#8 PEM).
/// </summary>
internal sealed record OAuthClientCredential(string ClientId, string KeyId, string PrivateKeyPem)
{
    private const int MaxSize = 64 * 1024;

    public static string PathFor(DataFolder folder, string client) => Path.Combine(folder.Root, "credentials", client + ".oauth.json");

    /// <summary>A new ES256 key pair for <paramref name="clientId"/>: the credential and the public JWKS to register.</summary>
    public static (OAuthClientCredential Credential, string Jwks) Create(string clientId)
    {
        using var key = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
        var keyId = clientId + "-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        var jwks = System.Text.Encoding.UTF8.GetString(JwsWriter.Json(w =>
        {
            w.WriteStartArray("keys");
            PublicJwk.Write(w, key, keyId, "sig");
            w.WriteEndArray();
        }));
        return (new OAuthClientCredential(clientId, keyId, key.ExportPkcs8Pem()), jwks);
    }

    public void Write(string path) => DataFolder.WriteFile(path, System.Text.Encoding.UTF8.GetString(JwsWriter.Json(w =>
    {
        w.WriteString("client_id", ClientId);
        w.WriteString("key_id", KeyId);
        w.WriteString("private_key", PrivateKeyPem);
    })), secret: true);

    /// <exception cref="CliException">The file is missing or not a credential file.</exception>
    public static OAuthClientCredential Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(InputFiles.ReadBytes(path, MaxSize));
            var root = document.RootElement;
            return new OAuthClientCredential(root.GetProperty("client_id").GetString()!, root.GetProperty("key_id").GetString()!, root.GetProperty("private_key").GetString()!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw CliException.Usage($"{path} is not an OAuth client credential file (client_id, key_id, private_key).", e);
        }
    }
}
