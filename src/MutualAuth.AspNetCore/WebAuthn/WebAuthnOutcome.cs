using MutualAuth.Authentication;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.WebAuthn;

/// <summary>The end of a ceremony: the credential (registered or used), or the reason it was refused.</summary>
internal sealed record WebAuthnOutcome(WebAuthnCredentialRecord? Credential, ReasonCode Reason, string Detail, string? UserName = null, bool UserVerified = false)
{
    public bool Succeeded => Credential is not null;

    public static WebAuthnOutcome Refused(ReasonCode reason, string detail, string? userName = null) => new(null, reason, detail, userName);
}
