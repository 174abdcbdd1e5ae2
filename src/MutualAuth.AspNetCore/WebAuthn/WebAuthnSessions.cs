using System.Buffers.Text;
using Microsoft.AspNetCore.DataProtection;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.WebAuthn;

/// <summary>Issues and checks WebAuthn session cookies (Data Protection), as SCRAM's: user, credential, expiry and UV.</summary>
// The credential is looked up on every request: removing it (mutualauth webauthn remove) ends its sessions.
internal sealed class WebAuthnSessions(IDataProtectionProvider protection, TimeProvider time)
{
    private readonly IDataProtector _protector = protection.CreateProtector("MutualAuth.WebAuthn.Session.v1");

    public string Issue(WebAuthnCredentialRecord credential, bool userVerified, TimeSpan lifetime) =>
        SealedSessionCookie.Seal(_protector, time, lifetime, credential.UserName, Base64Url.EncodeToString(credential.CredentialId), userVerified ? "uv" : "");

    /// <summary>The credential and UV flag of a valid, unexpired session whose credential is still registered to its user, or null.</summary>
    public async Task<(WebAuthnCredentialRecord Credential, bool UserVerified)?> ValidateAsync(string cookie, IWebAuthnCredentialStore credentials, CancellationToken cancellationToken)
    {
        if (SealedSessionCookie.Open(_protector, time, cookie, 3) is not { } parts
            || await credentials.FindAsync(Base64Url.DecodeFromChars(parts[1]), cancellationToken) is not { } credential
            || !string.Equals(credential.UserName, parts[0], StringComparison.Ordinal))
        {
            return null;
        }

        return (credential, parts[2] == "uv");
    }
}
