using Microsoft.AspNetCore.Authentication;
using MutualAuth.Storage;
using MutualAuth.WebAuthn;

namespace MutualAuth.AspNetCore.WebAuthn;

/// <summary>Options of the WebAuthn scheme: the relying-party policy, the stores and the session lifetime.</summary>
public sealed class WebAuthnOptions : AuthenticationSchemeOptions
{
    /// <summary>The relying-party policy (origin, RP ID, user verification…). Required.</summary>
    public WebAuthnPolicy? Policy { get; set; }

    /// <summary>Registered credentials. Required.</summary>
    public IWebAuthnCredentialStore? Credentials { get; set; }

    /// <summary>Single-use challenges and enrolment invitations. Required.</summary>
    public IWebAuthnChallengeStore? Challenges { get; set; }

    /// <summary>How long the session cookie of a login lasts.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The key (at least 32 bytes) that derives the stand-in credential ids of login options for a user without passkeys,
    /// so that they stay the same for a name; keep it secret and the same on every node. Null: a random key per process.
    /// </summary>
    public byte[]? UserNameKey { get; set; }

    /// <summary>Failed ceremonies allowed in a burst per user name before 429; one more is allowed every <see cref="UserFailureRefill"/>.</summary>
    public int UserFailureBurst { get; set; } = 5;

    /// <summary>How often a user name regains one failed ceremony.</summary>
    public TimeSpan UserFailureRefill { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failed ceremonies allowed in a burst per client address before 429; one more is allowed every <see cref="AddressFailureRefill"/>.</summary>
    public int AddressFailureBurst { get; set; } = 20;

    /// <summary>How often a client address regains one failed ceremony.</summary>
    public TimeSpan AddressFailureRefill { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks the options.</summary>
    /// <exception cref="InvalidOperationException">A required option is missing or invalid.</exception>
    public override void Validate()
    {
        base.Validate();
        if (Policy is null || Credentials is null || Challenges is null)
        {
            throw new InvalidOperationException("WebAuthn needs a policy, a credential store and a challenge store.");
        }

        Policy.Validate();
        if (SessionLifetime <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("The WebAuthn session lifetime must be positive.");
        }

        if (UserNameKey is { Length: < 32 })
        {
            throw new InvalidOperationException("The WebAuthn user name key must have at least 32 bytes.");
        }

        if (UserFailureBurst < 1 || AddressFailureBurst < 1 || UserFailureRefill <= TimeSpan.Zero || AddressFailureRefill <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("The WebAuthn failure limits must be positive.");
        }
    }
}
