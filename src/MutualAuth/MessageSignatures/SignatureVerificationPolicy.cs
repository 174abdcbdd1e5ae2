namespace MutualAuth.MessageSignatures;

/// <summary>
/// What <see cref="MessageVerifier"/> accepts. A signature is selected by <see cref="Label"/>, <see cref="Tag"/> and/or
/// <see cref="KeyId"/> (at least one is required; never "the first one"); exactly one signature must match.
/// </summary>
public sealed class SignatureVerificationPolicy
{
    /// <summary>The largest <see cref="ClockSkew"/> accepted.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Select the signature with this label, or null.</summary>
    public string? Label { get; init; }

    /// <summary>Select the signature with this <c>tag</c> (e.g. <c>mutualauth</c>), or null.</summary>
    public string? Tag { get; init; }

    /// <summary>Select the signature with this <c>keyid</c> (e.g. the server's pinned key), or null.</summary>
    public string? KeyId { get; init; }

    /// <summary>Components the signature must cover (compared as identifiers, parameters included).</summary>
    public IReadOnlyList<ComponentIdentifier> RequiredComponents { get; init; } = [];

    /// <summary>Whether <c>created</c> is required (default true).</summary>
    public bool RequireCreated { get; init; } = true;

    /// <summary>Whether <c>expires</c> is required (default false).</summary>
    public bool RequireExpires { get; init; }

    /// <summary>Whether <c>nonce</c> is required (default false).</summary>
    public bool RequireNonce { get; init; }

    /// <summary>The oldest <c>created</c> accepted, as an age (default 5 minutes).</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Clock difference tolerated on <c>created</c> and <c>expires</c> (default 30 s, at most <see cref="MaxClockSkew"/>).</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Structured field types for <c>;sf</c> components; the defaults when null.</summary>
    public StructuredFieldTypes? FieldTypes { get; init; }

    /// <summary>Checks the policy.</summary>
    /// <exception cref="ArgumentException">No selector (label, tag or keyid), a skew outside 0 to 5 minutes, or a maximum age not positive.</exception>
    public void Validate()
    {
        if (Label is null && Tag is null && KeyId is null)
        {
            throw new ArgumentException("A verification policy selects the signature by label, tag or keyid.");
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > MaxClockSkew)
        {
            throw new ArgumentException($"The clock skew is between 0 and {MaxClockSkew}.");
        }

        if (MaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentException("The maximum age is positive.");
        }
    }
}
