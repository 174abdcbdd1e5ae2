using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using MutualAuth.Authentication;
using MutualAuth.Keys;
using NSec.Cryptography;
using NSecPublicKey = NSec.Cryptography.PublicKey;

namespace MutualAuth.Tokens;

/// <summary>
/// A public JWK (RFC 7517) of type EC (P-256, P-384), RSA (2048 bits or more) or OKP Ed25519, with its RFC 7638
/// thumbprint. Private members are refused, so a key can never be used as a secret (HS256 keyed with a public key).
/// </summary>
internal sealed class PublicJwk
{
    private const int MinRsaBits = 2048;
    private const int MaxRsaBits = 8192;

    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    private PublicJwk(SecurityKey key, string thumbprint, string keyType, string? curve, string? keyId)
    {
        Key = key;
        Thumbprint = thumbprint;
        KeyType = keyType;
        Curve = curve;
        KeyId = keyId;
    }

    /// <summary>The key, for Microsoft.IdentityModel.</summary>
    public SecurityKey Key { get; }

    /// <summary>RFC 7638 SHA-256 thumbprint, base64url: DPoP's <c>jkt</c>.</summary>
    public string Thumbprint { get; }

    public string KeyType { get; }

    public string? Curve { get; }

    public string? KeyId { get; }

    /// <summary>Whether <paramref name="alg"/> is the algorithm for this key (ES256 on P-256, PS256 on RSA, EdDSA on Ed25519).</summary>
    public bool Fits(string alg) => (alg, KeyType, Curve) switch
    {
        (JwsAlgorithms.ES256, "EC", "P-256") or (JwsAlgorithms.ES384, "EC", "P-384") => true,
        (JwsAlgorithms.PS256, "RSA", _) or (JwsAlgorithms.EdDSA, "OKP", "Ed25519") => true,
        _ => false,
    };

    /// <summary>Reads a public JWK; refuses private members, unknown types and curves, and short RSA keys.</summary>
    public static TokenResult<PublicJwk> Parse(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            return TokenReasons.InvalidJwk;
        }

        if (PrivateMembers.Any(m => jwk.TryGetProperty(m, out _)))
        {
            return TokenReasons.PrivateJwk;
        }

        var kid = Member(jwk, "kid");
        try
        {
            return Member(jwk, "kty") switch
            {
                "EC" => Ec(jwk, kid),
                "RSA" => Rsa(jwk, kid),
                "OKP" => Okp(jwk, kid),
                _ => TokenReasons.InvalidJwk,
            };
        }
        catch (CryptographicException)
        {
            // A point not on the curve, or a malformed modulus.
            return TokenReasons.InvalidJwk;
        }
    }

    /// <summary>The public JWK of <paramref name="key"/>, written as JSON members (for <c>jwk</c> headers and JWKS).</summary>
    public static void Write(Utf8JsonWriter writer, SigningKey key, string? keyId = null, string? use = null)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in Members(key))
        {
            writer.WriteString(name, value);
        }

        if (keyId is not null)
        {
            writer.WriteString("kid", keyId);
            writer.WriteString("alg", JwsAlgorithms.For(key.Algorithm));
        }

        if (use is not null)
        {
            writer.WriteString("use", use);
        }

        writer.WriteEndObject();
    }

    /// <summary>The public part of <paramref name="key"/> as a pinned verification key named <paramref name="keyId"/>.</summary>
    public static PublicJwk From(SigningKey key, string keyId)
    {
        var json = JwsWriter.Json(w =>
        {
            foreach (var (name, value) in Members(key))
            {
                w.WriteString(name, value);
            }

            w.WriteString("kid", keyId);
        });
        using var document = JsonDocument.Parse(json);
        return Parse(document.RootElement).Value!;
    }

    /// <summary>The RFC 7638 thumbprint of <paramref name="key"/>'s public part.</summary>
    public static string ThumbprintOf(SigningKey key) => ComputeThumbprint(Members(key));

    private static List<(string Name, string Value)> Members(SigningKey key)
    {
        var spki = key.ExportSubjectPublicKeyInfo();
        switch (key.Algorithm)
        {
            case SigningKeyAlgorithm.Ed25519:
                var raw = NSecPublicKey.Import(SignatureAlgorithm.Ed25519, spki, KeyBlobFormat.PkixPublicKey).Export(KeyBlobFormat.RawPublicKey);
                return [("crv", "Ed25519"), ("kty", "OKP"), ("x", Base64UrlText.Encode(raw))];
            case SigningKeyAlgorithm.Rsa:
                using (var rsa = RSA.Create())
                {
                    rsa.ImportSubjectPublicKeyInfo(spki, out _);
                    var p = rsa.ExportParameters(false);
                    return [("e", Base64UrlText.Encode(p.Exponent)), ("kty", "RSA"), ("n", Base64UrlText.Encode(p.Modulus))];
                }

            default:
                using (var ec = ECDsa.Create())
                {
                    ec.ImportSubjectPublicKeyInfo(spki, out _);
                    var p = ec.ExportParameters(false);
                    var crv = key.Algorithm switch
                    {
                        SigningKeyAlgorithm.EcdsaP256 => "P-256",
                        SigningKeyAlgorithm.EcdsaP384 => "P-384",
                        _ => "P-521",
                    };
                    return [("crv", crv), ("kty", "EC"), ("x", Base64UrlText.Encode(p.Q.X)), ("y", Base64UrlText.Encode(p.Q.Y))];
                }
        }
    }

    private static TokenResult<PublicJwk> Ec(JsonElement jwk, string? kid)
    {
        var crv = Member(jwk, "crv");
        var (curve, size) = crv switch
        {
            "P-256" => (ECCurve.NamedCurves.nistP256, 32),
            "P-384" => (ECCurve.NamedCurves.nistP384, 48),
            _ => (default(ECCurve), 0),
        };
        var x = Bytes(jwk, "x");
        var y = Bytes(jwk, "y");
        if (size == 0 || x?.Length != size || y?.Length != size)
        {
            return TokenReasons.InvalidJwk;
        }

        var ec = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = x, Y = y } });
        var thumbprint = ComputeThumbprint([("crv", crv!), ("kty", "EC"), ("x", Base64UrlText.Encode(x)), ("y", Base64UrlText.Encode(y))]);
        return TokenResult<PublicJwk>.Ok(new PublicJwk(new ECDsaSecurityKey(ec) { KeyId = kid }, thumbprint, "EC", crv, kid));
    }

    private static TokenResult<PublicJwk> Rsa(JsonElement jwk, string? kid)
    {
        var n = Bytes(jwk, "n");
        var e = Bytes(jwk, "e");
        if (n is null || e is not { Length: > 0 and <= 8 } || n.Length == 0 || n[0] == 0
            || n.Length * 8 < MinRsaBits || n.Length * 8 > MaxRsaBits)
        {
            return TokenReasons.InvalidJwk;
        }

        var rsa = System.Security.Cryptography.RSA.Create(new RSAParameters { Modulus = n, Exponent = e });
        var thumbprint = ComputeThumbprint([("e", Base64UrlText.Encode(e)), ("kty", "RSA"), ("n", Base64UrlText.Encode(n))]);
        return TokenResult<PublicJwk>.Ok(new PublicJwk(new RsaSecurityKey(rsa) { KeyId = kid }, thumbprint, "RSA", null, kid));
    }

    private static TokenResult<PublicJwk> Okp(JsonElement jwk, string? kid)
    {
        var x = Bytes(jwk, "x");
        if (Member(jwk, "crv") != "Ed25519" || x?.Length != 32
            || !NSecPublicKey.TryImport(SignatureAlgorithm.Ed25519, x, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
        {
            return TokenReasons.InvalidJwk;
        }

        var thumbprint = ComputeThumbprint([("crv", "Ed25519"), ("kty", "OKP"), ("x", Base64UrlText.Encode(x))]);
        return TokenResult<PublicJwk>.Ok(new PublicJwk(new Ed25519SecurityKey(publicKey) { KeyId = kid }, thumbprint, "OKP", "Ed25519", kid));
    }

    // RFC 7638 §3: the required members only, in lexicographic order, no whitespace. The values are re-encoded from
    // the decoded key, so one key has one thumbprint.
    private static string ComputeThumbprint(List<(string Name, string Value)> members)
    {
        var json = "{" + string.Join(',', members.Select(m => $"\"{m.Name}\":\"{m.Value}\"")) + "}";
        return Base64UrlText.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    private static string? Member(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private static byte[]? Bytes(JsonElement jwk, string name) => Member(jwk, name) is { } s ? Base64UrlText.Decode(s) : null;
}
