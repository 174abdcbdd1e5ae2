namespace MutualAuth.WebAuthn;

/// <summary>What the relying party requires of WebAuthn ceremonies, beyond what the library checks; see docs/webauthn.md.</summary>
public sealed record WebAuthnPolicy
{
    /// <summary>The largest credential id WebAuthn allows (Level 3 §5.1.3: at most 1023 bytes).</summary>
    public const int MaxCredentialIdBytes = 1023;

    /// <summary>
    /// The public origin exactly as the browser serialises it (<c>https://host</c>, <c>https://host:8443</c>): scheme,
    /// lower-case host and non-default port; compared byte for byte with clientDataJSON's <c>origin</c>.
    /// </summary>
    public required string Origin { get; init; }

    /// <summary>The RP ID (a registrable suffix of the origin's host); null means the origin's host.</summary>
    public string? RpId { get; init; }

    /// <summary>The relying party name shown by authenticators.</summary>
    public string RpName { get; init; } = "MutualAuth";

    /// <summary>Whether the UV flag is required (default: yes, the biometric or PIN check on the authenticator).</summary>
    public bool RequireUserVerification { get; init; } = true;

    /// <summary>Whether ceremonies in a cross-origin iframe (<c>crossOrigin: true</c>) are accepted (default: no).</summary>
    public bool AllowCrossOrigin { get; init; }

    /// <summary>The <c>topOrigin</c>s accepted when <see cref="AllowCrossOrigin"/> is set.</summary>
    public IReadOnlySet<string> AllowedTopOrigins { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The authenticator models (AAGUID) accepted with <c>packed</c> attestation; empty: <c>packed</c> is refused, only <c>none</c> is accepted.</summary>
    public IReadOnlySet<Guid> AllowedAaguids { get; init; } = new HashSet<Guid>();

    /// <summary>How long a challenge can be answered.</summary>
    public TimeSpan ChallengeLifetime { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The RP ID in use: <see cref="RpId"/> or the origin's host.</summary>
    public string EffectiveRpId => RpId ?? new Uri(Origin).Host;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="InvalidOperationException">The origin is not a serialised origin, or the RP ID is not a suffix of its host.</exception>
    public void Validate()
    {
        if (!WebOrigin.IsSerialised(Origin))
        {
            throw new InvalidOperationException($"The WebAuthn origin '{Origin}' must be written as a browser serialises it: https://host or https://host:port, lower case, no default port, no path or trailing slash.");
        }

        var host = new Uri(Origin).Host;
        var rpId = EffectiveRpId;
        if (rpId.Length == 0 || (host != rpId && !host.EndsWith("." + rpId, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"The WebAuthn RP ID '{rpId}' must be the origin's host '{host}' or a suffix of it.");
        }

        if (ChallengeLifetime <= TimeSpan.Zero || ChallengeLifetime > TimeSpan.FromMinutes(10))
        {
            throw new InvalidOperationException("The WebAuthn challenge lifetime must be between 0 and 10 minutes.");
        }
    }
}
