using System.Text.Json;
using System.Text.Json.Serialization;
using MutualAuth.MessageSignatures;

namespace MutualAuth.Http;

/// <summary>
/// A client's RFC 9421 credential file as <c>mutualauth key create</c> writes it (JSON, camelCase): its key and the
/// server's response-signing key to pin. It holds the client's secret: keep it mode 0600.
/// </summary>
public sealed record SignatureCredential
{
    /// <summary>The largest credential file read, in bytes.</summary>
    public const int MaxFileSize = 64 * 1024;

    /// <summary>The client's <c>keyid</c>.</summary>
    public required string KeyId { get; init; }

    /// <summary>The client key's algorithm name (RFC 9421 §6.2.2), e.g. <c>hmac-sha256</c>.</summary>
    public required string Algorithm { get; init; }

    /// <summary>The HMAC secret, base64; null for asymmetric keys.</summary>
    public string? Secret { get; init; }

    /// <summary>The client's private key, PKCS#8 PEM; null for HMAC or for a key the client keeps elsewhere.</summary>
    public string? PrivateKey { get; init; }

    /// <summary>The server's response-signing <c>keyid</c>.</summary>
    public required string ServerKeyId { get; init; }

    /// <summary>The server's response-signing algorithm name.</summary>
    public required string ServerAlgorithm { get; init; }

    /// <summary>The server's response-signing public key, SPKI PEM, pinned by clients with asymmetric keys.</summary>
    public required string ServerPublicKey { get; init; }

    /// <summary>The client's signing key.</summary>
    /// <exception cref="InvalidOperationException">
    /// The file has neither a secret nor a private key, or its key does not fit its <see cref="Algorithm"/> (a secret
    /// is only for hmac-sha256, a private key never is).
    /// </exception>
    public HttpSignatureKey ClientKey()
    {
        var algorithm = HttpSignatureAlgorithms.Parse(Algorithm);
        var symmetric = algorithm == HttpSignatureAlgorithm.HmacSha256;
        return Secret is not null && symmetric ? HttpSignatureKey.Hmac(Convert.FromBase64String(Secret))
            : PrivateKey is not null && !symmetric ? HttpSignatureKey.FromPem(PrivateKey, algorithm)
            : throw new InvalidOperationException(Secret is null && PrivateKey is null
                ? "The credential has no secret or private key."
                : $"The credential's key does not fit its algorithm '{Algorithm}' (a secret is for hmac-sha256 only, a private key for the others).");
    }

    /// <summary>The pinned server key (public only); what asymmetric clients check responses with.</summary>
    public HttpSignatureKey ServerKey() => HttpSignatureKey.FromPem(ServerPublicKey, HttpSignatureAlgorithms.Parse(ServerAlgorithm));

    /// <summary>Reads a credential file.</summary>
    /// <exception cref="InvalidDataException">Too large, not JSON, or missing members.</exception>
    public static SignatureCredential Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        if (stream.Length > MaxFileSize)
        {
            throw new InvalidDataException($"{path} is larger than {MaxFileSize} bytes.");
        }

        try
        {
            return JsonSerializer.Deserialize(stream, SignatureCredentialJson.Default.SignatureCredential)
                ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a signature credential: {e.Message}", e);
        }
    }

    /// <summary>The file's JSON text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SignatureCredentialJson.Default.SignatureCredential);
}

/// <summary>Source-generated JSON for <see cref="SignatureCredential"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SignatureCredential))]
internal sealed partial class SignatureCredentialJson : JsonSerializerContext;
