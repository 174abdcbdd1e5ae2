namespace MutualAuth.Storage;

/// <summary>The bounds every <see cref="IWebAuthnChallengeStore"/> enforces (the interface documents them).</summary>
internal static class WebAuthnChallengeLimits
{
    public const int MaxIdLength = 128;
    public const int MaxPayloadLength = 64 * 1024;

    /// <summary>Throws unless the arguments of <see cref="IWebAuthnChallengeStore.AddAsync"/> are present and within the bounds.</summary>
    public static void ValidateAdd(string id, string purpose, string payload)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id.Length, MaxIdLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, MaxPayloadLength);
    }
}
