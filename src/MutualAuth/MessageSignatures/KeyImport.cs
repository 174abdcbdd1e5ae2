using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace MutualAuth.MessageSignatures;

/// <summary>Loads <see cref="HttpSignatureKey"/>s from PEM (PKCS#8, SEC1, PKCS#1, SPKI) and JWK (RFC 7517, RFC 7518 §6, RFC 8037).</summary>
internal static class KeyImport
{
    /// <summary>Whether a key object can export its private scalar (so it holds the private key); the exported copy is zeroed.</summary>
    public static bool HoldsPrivateKey(Func<byte[]?> exportPrivateScalar)
    {
        try
        {
            var d = exportPrivateScalar();
            CryptographicOperations.ZeroMemory(d);
            return d is { Length: > 0 };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static readonly string[] PrivateLabels = ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"];
    private static readonly string[] PublicLabels = ["PUBLIC KEY", "RSA PUBLIC KEY"];

    public static HttpSignatureKey FromPem(string pem, HttpSignatureAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var blocks = PemBlocks(pem).ToList();
        var (label, block) = blocks.FirstOrDefault(b => PrivateLabels.Contains(b.Label));
        if (label is null)
        {
            (label, block) = blocks.FirstOrDefault(b => PublicLabels.Contains(b.Label));
        }

        if (label is null)
        {
            throw new ArgumentException("The PEM text holds no private or public key.", nameof(pem));
        }

        switch (algorithm)
        {
            case HttpSignatureAlgorithm.EcdsaP256Sha256 or HttpSignatureAlgorithm.EcdsaP384Sha384:
                var ecdsa = ECDsa.Create();
                try
                {
                    ecdsa.ImportFromPem(block);
                    return EcdsaSignatureKey.Create(ecdsa, algorithm, isPrivate: PrivateLabels.Contains(label));
                }
                catch
                {
                    ecdsa.Dispose();
                    throw;
                }

            case HttpSignatureAlgorithm.RsaPssSha512 or HttpSignatureAlgorithm.RsaV15Sha256:
                var rsa = RSA.Create();
                try
                {
                    rsa.ImportFromPem(block);
                    return new RsaSignatureKey(rsa, algorithm, isPrivate: PrivateLabels.Contains(label));
                }
                catch
                {
                    rsa.Dispose();
                    throw;
                }

            case HttpSignatureAlgorithm.Ed25519:
                var der = PemDer(block);
                return label == "PRIVATE KEY" ? Ed25519SignatureKey.ImportPrivate(der, raw: false)
                    : label == "PUBLIC KEY" ? Ed25519SignatureKey.ImportPublic(der, raw: false)
                    : throw new ArgumentException($"A '{label}' PEM block is not an Ed25519 key.", nameof(pem));

            default:
                throw new ArgumentException($"{HttpSignatureAlgorithms.Name(algorithm)} keys are not loaded from PEM.", nameof(algorithm));
        }
    }

    public static HttpSignatureKey FromJwk(string json, HttpSignatureAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var jwk = document.RootElement;
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("A JWK is a JSON object.", nameof(json));
        }

        var kty = Text(jwk, "kty");
        var expected = algorithm switch
        {
            HttpSignatureAlgorithm.HmacSha256 => "oct",
            HttpSignatureAlgorithm.EcdsaP256Sha256 or HttpSignatureAlgorithm.EcdsaP384Sha384 => "EC",
            HttpSignatureAlgorithm.RsaPssSha512 or HttpSignatureAlgorithm.RsaV15Sha256 => "RSA",
            _ => "OKP",
        };
        if (kty != expected)
        {
            throw new ArgumentException($"A {HttpSignatureAlgorithms.Name(algorithm)} key is a '{expected}' JWK, not '{kty}'.", nameof(json));
        }

        return kty switch
        {
            "oct" => HttpSignatureKey.Hmac(Bytes(jwk, "k")),
            "EC" => EcFromJwk(jwk, algorithm),
            "RSA" => RsaFromJwk(jwk, algorithm),
            _ => OkpFromJwk(jwk),
        };
    }

    private static EcdsaSignatureKey EcFromJwk(JsonElement jwk, HttpSignatureAlgorithm algorithm)
    {
        var (curve, size) = Text(jwk, "crv") switch
        {
            "P-256" => (ECCurve.NamedCurves.nistP256, 32),
            "P-384" => (ECCurve.NamedCurves.nistP384, 48),
            var other => throw new ArgumentException($"Unsupported EC curve '{other}'."),
        };
        var parameters = new ECParameters
        {
            Curve = curve,
            Q = new ECPoint { X = Fixed(Bytes(jwk, "x"), size), Y = Fixed(Bytes(jwk, "y"), size) },
            D = jwk.TryGetProperty("d", out _) ? Fixed(Bytes(jwk, "d"), size) : null,
        };
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportParameters(parameters);
            return EcdsaSignatureKey.Create(ecdsa, algorithm, isPrivate: parameters.D is not null);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    private static RsaSignatureKey RsaFromJwk(JsonElement jwk, HttpSignatureAlgorithm algorithm)
    {
        var modulus = Bytes(jwk, "n").AsSpan().TrimStart((byte)0).ToArray();
        var half = (modulus.Length + 1) / 2;
        var parameters = new RSAParameters { Modulus = modulus, Exponent = Bytes(jwk, "e") };
        if (jwk.TryGetProperty("d", out _))
        {
            parameters.D = Fixed(Bytes(jwk, "d"), modulus.Length);
            parameters.P = Fixed(Bytes(jwk, "p"), half);
            parameters.Q = Fixed(Bytes(jwk, "q"), half);
            parameters.DP = Fixed(Bytes(jwk, "dp"), half);
            parameters.DQ = Fixed(Bytes(jwk, "dq"), half);
            parameters.InverseQ = Fixed(Bytes(jwk, "qi"), half);
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(parameters);
            return new RsaSignatureKey(rsa, algorithm, isPrivate: parameters.D is not null);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
            CryptographicOperations.ZeroMemory(parameters.P);
            CryptographicOperations.ZeroMemory(parameters.Q);
            CryptographicOperations.ZeroMemory(parameters.DP);
            CryptographicOperations.ZeroMemory(parameters.DQ);
            CryptographicOperations.ZeroMemory(parameters.InverseQ);
        }
    }

    private static Ed25519SignatureKey OkpFromJwk(JsonElement jwk)
    {
        if (Text(jwk, "crv") != "Ed25519")
        {
            throw new ArgumentException("Only Ed25519 OKP keys are supported.");
        }

        if (!jwk.TryGetProperty("d", out _))
        {
            return Ed25519SignatureKey.ImportPublic(Bytes(jwk, "x"), raw: true);
        }

        var d = Bytes(jwk, "d");
        try
        {
            var key = Ed25519SignatureKey.ImportPrivate(d, raw: true);
            var x = Bytes(jwk, "x");
            using var stated = Ed25519SignatureKey.ImportPublic(x, raw: true);
            if (stated.ExportPublicKeyPem() != key.ExportPublicKeyPem())
            {
                key.Dispose();
                throw new ArgumentException("The JWK's x is not the public key of its d.");
            }

            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
        }
    }

    private static string Text(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new ArgumentException($"The JWK has no '{name}' string.");

    private static byte[] Bytes(JsonElement jwk, string name)
    {
        try
        {
            return Base64Url.DecodeFromChars(Text(jwk, name));
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"The JWK's '{name}' is not base64url.", e);
        }
    }

    /// <summary>Left-pads a big-endian integer to <paramref name="length"/> bytes, as the .NET key parameters require.</summary>
    private static byte[] Fixed(byte[] value, int length)
    {
        var trimmed = value.AsSpan().TrimStart((byte)0);
        if (trimmed.Length > length)
        {
            throw new ArgumentException("A JWK number is longer than the key size.");
        }

        var result = new byte[length];
        trimmed.CopyTo(result.AsSpan(length - trimmed.Length));
        return result;
    }

    private static IEnumerable<(string Label, string Block)> PemBlocks(string pem)
    {
        var rest = pem;
        while (PemEncoding.TryFind(rest, out var fields))
        {
            yield return (rest[fields.Label].ToString(), rest[fields.Location].ToString());
            rest = rest[fields.Location.End..];
        }
    }

    private static byte[] PemDer(string block)
    {
        var fields = PemEncoding.Find(block);
        return Convert.FromBase64String(block[fields.Base64Data]);
    }
}
