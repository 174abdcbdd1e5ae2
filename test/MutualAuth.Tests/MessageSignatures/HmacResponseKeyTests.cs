using System.Security.Cryptography;
using MutualAuth.MessageSignatures;

namespace MutualAuth.Tests.MessageSignatures;

/// <summary>The response key of HMAC clients: HKDF-Expand of the client's secret with the documented info, never the secret.</summary>
public sealed class HmacResponseKeyTests
{
    private static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    /// <summary>The lines of testdata/http-message-signatures/hmac-response-keys.txt (computed outside .NET).</summary>
    public static TheoryData<string> Vectors()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadLines(Path.Combine(RfcVectors.Folder, "hmac-response-keys.txt")).Where(l => l.Length > 0 && l[0] != '#'))
        {
            data.Add(line);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_response_key_is_hkdf_expand_of_the_secret_with_the_documented_info(string vector)
    {
        var parts = vector.Split(' ');
        using var secret = HttpSignatureKey.Hmac(Convert.FromBase64String(parts[0]));
        var expected = Convert.FromHexString(parts[2]);

        using var derived = HmacResponseKey.Derive(secret, parts[1]);

        Assert.Equal(HttpSignatureAlgorithm.HmacSha256, derived.Algorithm);
        Assert.Equal(HMACSHA256.HashData(expected, "\"@status\": 200"u8), derived.Sign("\"@status\": 200"u8));
    }

    [Fact]
    public void The_info_is_the_fixed_label_a_zero_byte_and_the_keyid()
    {
        Assert.Equal("mutualauth response signature v1\0alice-key"u8.ToArray(), HmacResponseKey.InfoFor("alice-key"));
    }

    [Fact]
    public void The_response_key_is_not_the_secret()
    {
        using var secret = HttpSignatureKey.Hmac(Secret);
        using var derived = HmacResponseKey.Derive(secret, "alice-key");

        var signature = derived.Sign("x"u8);

        Assert.NotEqual(secret.Sign("x"u8), signature);
        Assert.False(secret.Verify("x"u8, signature));
        Assert.False(derived.Verify("x"u8, secret.Sign("x"u8)));
    }

    [Fact]
    public void Each_keyid_gets_its_own_response_key()
    {
        using var secret = HttpSignatureKey.Hmac(Secret);
        using var alice = HmacResponseKey.Derive(secret, "alice-key");
        using var other = HmacResponseKey.Derive(secret, "alice-key2");

        Assert.False(other.Verify("x"u8, alice.Sign("x"u8)));
    }

    [Theory]
    [InlineData(HttpSignatureAlgorithm.EcdsaP256Sha256)]
    [InlineData(HttpSignatureAlgorithm.Ed25519)]
    [InlineData(HttpSignatureAlgorithm.RsaPssSha512)]
    public void Asymmetric_keys_have_no_response_key(HttpSignatureAlgorithm algorithm)
    {
        using var key = HttpSignatureKey.Generate(algorithm);

        Assert.False(HmacResponseKey.CanDerive(key));
        Assert.Throws<ArgumentException>(() => HmacResponseKey.Derive(key, "k"));
    }

    [Fact]
    public void An_empty_keyid_is_refused()
    {
        using var secret = HttpSignatureKey.Hmac(Secret);

        Assert.Throws<ArgumentException>(() => HmacResponseKey.Derive(secret, ""));
    }

    [Fact]
    public void A_disposed_secret_derives_nothing()
    {
        var secret = HttpSignatureKey.Hmac(Secret);
        secret.Dispose();

        Assert.Throws<ObjectDisposedException>(() => HmacResponseKey.Derive(secret, "alice-key"));
    }

    [Fact]
    public void The_response_key_is_independent_of_the_secret_key_object()
    {
        var secret = HttpSignatureKey.Hmac(Secret);
        var derived = HmacResponseKey.Derive(secret, "alice-key");
        var signature = derived.Sign("x"u8);

        secret.Dispose();
        var stillValid = derived.Verify("x"u8, signature);
        derived.Dispose();

        Assert.True(stillValid);
        Assert.Throws<ObjectDisposedException>(() => derived.Sign("x"u8));
    }
}
