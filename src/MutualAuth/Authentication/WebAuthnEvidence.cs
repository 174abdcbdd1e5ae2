namespace MutualAuth.Authentication;

/// <summary>A WebAuthn assertion (or the session it opened): the authenticator's flags and model.</summary>
/// <param name="UserVerified">Whether the authenticator data had the UV flag.</param>
/// <param name="BackupEligible">The BE flag: the passkey may be synced to other devices.</param>
/// <param name="BackedUp">The BS flag: the passkey is backed up.</param>
/// <param name="Aaguid">The authenticator model registered with the credential (all zeros with attestation <c>none</c>).</param>
public sealed record WebAuthnEvidence(bool UserVerified, bool BackupEligible, bool BackedUp, Guid Aaguid) : IdentityEvidence;
