using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MutualAuth.Tokens;

/// <summary>
/// Server nonces for DPoP (RFC 9449 §8–9) without state: a time step and its HMAC-SHA256 under a server secret. A
/// nonce is accepted during its step and the next one, so every node sharing the secret accepts it and nothing is stored.
/// </summary>
internal sealed class DpopNonces
{
    private const int StepBytes = 8;
    private const int MacBytes = 16;
    private readonly byte[] _secret;
    private readonly TimeSpan _step;
    private readonly TimeProvider _time;

    /// <param name="secret">At least 32 random bytes, shared by the nodes.</param>
    /// <param name="step">How long a nonce is current; it stays accepted one more step.</param>
    /// <param name="time">The clock.</param>
    public DpopNonces(byte[] secret, TimeSpan step, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentOutOfRangeException.ThrowIfLessThan(secret.Length, 32, nameof(secret));
        ArgumentOutOfRangeException.ThrowIfLessThan(step, TimeSpan.FromSeconds(1));
        _secret = secret.ToArray();
        _step = step;
        _time = time;
    }

    /// <summary>The nonce to send now in <c>DPoP-Nonce</c>.</summary>
    public string Current() => Encode(StepNow());

    /// <summary>Whether <paramref name="nonce"/> was issued in this step or the previous one.</summary>
    public bool IsValid(string? nonce)
    {
        if (nonce is null || nonce.Length > 64 || Base64UrlText.Decode(nonce) is not { Length: StepBytes + MacBytes } bytes)
        {
            return false;
        }

        var step = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var now = StepNow();
        return (step == now || step == now - 1) && CryptographicOperations.FixedTimeEquals(Mac(step), bytes.AsSpan(StepBytes));
    }

    private long StepNow() => _time.GetUtcNow().ToUnixTimeMilliseconds() / (long)_step.TotalMilliseconds;

    private string Encode(long step)
    {
        var bytes = new byte[StepBytes + MacBytes];
        BinaryPrimitives.WriteInt64BigEndian(bytes, step);
        Mac(step).CopyTo(bytes.AsSpan(StepBytes));
        return Base64UrlText.Encode(bytes);
    }

    private byte[] Mac(long step)
    {
        Span<byte> input = stackalloc byte[StepBytes];
        BinaryPrimitives.WriteInt64BigEndian(input, step);
        return HMACSHA256.HashData(_secret, input)[..MacBytes];
    }
}
