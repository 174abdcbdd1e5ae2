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
    }
}
