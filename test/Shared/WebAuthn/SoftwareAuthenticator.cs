using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MutualAuth.Testing.WebAuthn;

/// <summary>
/// A WebAuthn authenticator and client in software (ES256, attestation none) whose every output can be bent: flags,
/// counter, origin, credential id, CBOR. Produces the browser's <c>PublicKeyCredential.toJSON()</c> shapes.
/// </summary>
internal sealed class SoftwareAuthenticator : IDisposable
{
    public const byte Up = 0x01, Uv = 0x04, Be = 0x08, Bs = 0x10, At = 0x40;

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] CredentialId { get; set; } = RandomNumberGenerator.GetBytes(32);

    public string Origin { get; set; } = "https://localhost:8443";

    public string RpId { get; set; } = "localhost";

    public byte Flags { get; set; } = Up | Uv;

    public uint Counter { get; set; }

    /// <summary>Extra members of clientDataJSON (crossOrigin, topOrigin…).</summary>
    public Dictionary<string, JsonNode?> ClientDataExtras { get; } = [];

    /// <summary>The userHandle an assertion returns (null: none).</summary>
    public byte[]? UserHandle { get; set; }

    /// <summary>Answers creation options (the server's <c>publicKey</c> JSON) with an attestation of format <paramref name="format"/>.</summary>
    public JsonElement Create(JsonElement options, string format = "none")
    {
        UserHandle = Base64Url.DecodeFromChars(options.GetProperty("user").GetProperty("id").GetString());
        var clientData = ClientData("webauthn.create", options.GetProperty("challenge").GetString()!);
        var authData = AuthenticatorData((byte)(Flags | At), [.. new byte[16], .. Length(CredentialId.Length), .. CredentialId, .. CoseKey()]);
        var writer = new CborWriter(CborConformanceMode.Ctap2Canonical);
        writer.WriteStartMap(3);
        writer.WriteTextString("fmt");
        writer.WriteTextString(format);
        writer.WriteTextString("attStmt");
        writer.WriteStartMap(0);
        writer.WriteEndMap();
        writer.WriteTextString("authData");
        writer.WriteByteString(authData);
        writer.WriteEndMap();
        return AttestationJson(clientData, writer.Encode());
    }

    /// <summary>A registration response with <paramref name="attestationObject"/> as given (malformed CBOR…).</summary>
    public JsonElement AttestationJson(byte[] clientData, byte[] attestationObject) => Json(new JsonObject
    {
        ["id"] = Base64Url.EncodeToString(CredentialId),
        ["rawId"] = Base64Url.EncodeToString(CredentialId),
        ["type"] = "public-key",
        ["response"] = new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["attestationObject"] = Base64Url.EncodeToString(attestationObject),
            ["transports"] = new JsonArray("internal"),
        },
        ["clientExtensionResults"] = new JsonObject(),
    });

    /// <summary>Answers request options with an assertion; the counter goes up by one first.</summary>
    public JsonElement Get(JsonElement options, Func<byte[], byte[]>? bendSignature = null)
    {
        Counter++;
        var clientData = ClientData("webauthn.get", options.GetProperty("challenge").GetString()!);
        var authData = AuthenticatorData(Flags, []);
        var signature = _key.SignData([.. authData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var response = new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["authenticatorData"] = Base64Url.EncodeToString(authData),
            ["signature"] = Base64Url.EncodeToString(bendSignature?.Invoke(signature) ?? signature),
        };
        if (UserHandle is not null)
        {
            response["userHandle"] = Base64Url.EncodeToString(UserHandle);
        }

        return Json(new JsonObject
        {
            ["id"] = Base64Url.EncodeToString(CredentialId),
            ["rawId"] = Base64Url.EncodeToString(CredentialId),
            ["type"] = "public-key",
            ["response"] = response,
            ["clientExtensionResults"] = new JsonObject(),
        });
    }

    public byte[] ClientData(string type, string challenge)
    {
        var data = new JsonObject { ["type"] = type, ["challenge"] = challenge, ["origin"] = Origin, ["crossOrigin"] = false };
        foreach (var (name, value) in ClientDataExtras)
        {
            data[name] = value?.DeepClone();
        }

        return Encoding.UTF8.GetBytes(data.ToJsonString());
    }

    private byte[] AuthenticatorData(byte flags, byte[] rest)
    {
        var counter = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(counter, Counter);
        return [.. SHA256.HashData(Encoding.UTF8.GetBytes(RpId)), flags, .. counter, .. rest];
    }

    private byte[] CoseKey()
    {
        var p = _key.ExportParameters(false);
        var writer = new CborWriter(CborConformanceMode.Ctap2Canonical);
        writer.WriteStartMap(5);
        writer.WriteInt32(1);
        writer.WriteInt32(2); // kty EC2
        writer.WriteInt32(3);
        writer.WriteInt32(-7); // ES256
        writer.WriteInt32(-1);
        writer.WriteInt32(1); // P-256
        writer.WriteInt32(-2);
        writer.WriteByteString(p.Q.X!);
        writer.WriteInt32(-3);
        writer.WriteByteString(p.Q.Y!);
        writer.WriteEndMap();
        return writer.Encode();
    }

    private static byte[] Length(int length) => [(byte)(length >> 8), (byte)length];

    private static JsonElement Json(JsonObject node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

    public void Dispose() => _key.Dispose();
}
