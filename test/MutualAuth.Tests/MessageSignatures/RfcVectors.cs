using MutualAuth.MessageSignatures;

namespace MutualAuth.Tests.MessageSignatures;

/// <summary>The RFC 9421 Appendix B keys and vectors in testdata/http-message-signatures (vectors.txt and appendix-b.txt).</summary>
internal static class RfcVectors
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "testdata", "http-message-signatures");

    public static IReadOnlyList<RfcVector> All { get; } = [.. Load("vectors.txt"), .. Load("appendix-b.txt")];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var vector in All)
        {
            data.Add(vector.Name);
        }

        return data;
    }

    public static RfcVector Named(string name) => All.Single(v => v.Name == name);

    public static RfcVector Starting(string prefix) => All.Single(v => v.Name.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The key a vector names, registered for its algorithm (private part included where the RFC gives one).</summary>
    public static HttpSignatureKey Key(string keyId, HttpSignatureAlgorithm algorithm) => keyId switch
    {
        "test-shared-secret" => HttpSignatureKey.Hmac(Convert.FromBase64String(Read("test-shared-secret.b64").Trim())),
        "test-key-rsa-pss" => HttpSignatureKey.FromJwk(Read("test-key-rsa-pss.jwk"), algorithm),
        _ => HttpSignatureKey.FromPem(Read(keyId + ".pem"), algorithm),
    };

    /// <summary>The public part only of a PEM key (the second block of the RFC key files).</summary>
    public static HttpSignatureKey PublicKey(string keyId, HttpSignatureAlgorithm algorithm)
    {
        var pem = Read(keyId + ".pem");
        return HttpSignatureKey.FromPem(pem[pem.IndexOf("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal)..], algorithm);
    }

    /// <summary>What a verifier holds for a vector: the public key, or the shared secret for HMAC.</summary>
    public static HttpSignatureKey PublicKeyOrSecret(RfcVector vector) =>
        vector.KeyId.EndsWith("rsa-pss", StringComparison.Ordinal) || vector.Algorithm == HttpSignatureAlgorithm.HmacSha256
            ? Key(vector.KeyId, vector.Algorithm)
            : PublicKey(vector.KeyId, vector.Algorithm);

    public static string Read(string file) => File.ReadAllText(Path.Combine(Folder, file));

    private static List<RfcVector> Load(string file)
    {
        var vectors = new List<RfcVector>();
        Dictionary<string, string>? fields = null;
        List<string>? baseLines = null;
        foreach (var line in File.ReadLines(Path.Combine(Folder, file)))
        {
            if (baseLines is not null)
            {
                if (line == "end-base")
                {
                    fields!["base"] = string.Join('\n', baseLines);
                    baseLines = null;
                }
                else
                {
                    baseLines.Add(line);
                }

                continue;
            }

            if (line.StartsWith('#') || line.Trim().Length == 0)
            {
                continue;
            }

            if (line == "base:")
            {
                baseLines = [];
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var key = line[..colon];
            if (key == "name")
            {
                fields = [];
                vectors.Add(new RfcVector(fields));
            }

            fields![key] = line[(colon + 1)..].Trim();
        }

        return vectors;
    }
}

/// <summary>One Appendix B example.</summary>
internal sealed class RfcVector(Dictionary<string, string> fields)
{
    public string Name => fields["name"];

    public string Message => fields["message"];

    public string KeyId => fields["key"];

    public HttpSignatureAlgorithm Algorithm => HttpSignatureAlgorithms.Parse(fields["alg"]);

    public bool Deterministic => fields["deterministic"] == "yes";

    public string Base => fields["base"];

    public string SignatureInput => fields["signature-input"];

    public string Signature => fields["signature"];

    public string Label => Signature[..Signature.IndexOf('=', StringComparison.Ordinal)];

    public byte[] SignatureBytes => Convert.FromBase64String(Signature[(Label.Length + 2)..^1]);

    public override string ToString() => Name;
}
