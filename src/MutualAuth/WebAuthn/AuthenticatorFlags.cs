namespace MutualAuth.WebAuthn;

/// <summary>The flags byte of authenticator data (WebAuthn Level 3 §6.1).</summary>
[Flags]
internal enum AuthenticatorFlags : byte
{
    None = 0,
    UserPresent = 0x01,
    UserVerified = 0x04,
    BackupEligible = 0x08,
    BackedUp = 0x10,
    AttestedCredentialData = 0x40,
    ExtensionData = 0x80,
}
