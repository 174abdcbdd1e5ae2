namespace MutualAuth.Storage;

/// <summary>A registered WebAuthn credential (passkey).</summary>
/// <param name="CredentialId">The credential id (at most 1023 bytes).</param>
/// <param name="UserName">The user it authenticates.</param>
/// <param name="UserHandle">The user handle given to the authenticator at registration (random, no personal data).</param>
/// <param name="PublicKey">The COSE public key.</param>
/// <param name="SignCount">The last signature counter seen.</param>
/// <param name="BackupEligible">The BE flag at registration; an assertion with another BE is refused.</param>
/// <param name="BackedUp">The BS flag last seen.</param>
/// <param name="Aaguid">The authenticator model (all zeros with attestation <c>none</c>).</param>
/// <param name="AttestationFormat">The attestation statement format (<c>none</c>, <c>packed</c>).</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="LastUsedAt">When it last logged in, or null.</param>
public sealed record WebAuthnCredentialRecord(
    byte[] CredentialId,
    string UserName,
    byte[] UserHandle,
    byte[] PublicKey,
    uint SignCount,
    bool BackupEligible,
    bool BackedUp,
    Guid Aaguid,
    string AttestationFormat,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt);
