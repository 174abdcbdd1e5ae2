using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using MutualAuth.Authentication;
using MutualAuth.Storage;

namespace MutualAuth.WebAuthn;

/// <summary>
/// The relying-party checks Fido2 does not do, or does differently (docs/webauthn.md): exact origin, cross-origin,
/// UV by policy, BE/BS rules, signCount regression. I/O-free; each returns null when the check passes.
/// </summary>
internal static class WebAuthnChecks
{
    /// <summary>The fixed part of authenticator data: rpIdHash (32), flags (1), signCount (4).</summary>
    public const int AuthenticatorDataHeaderBytes = 37;

    /// <summary>Checks clientDataJSON: ceremony type, challenge (fixed time), exact origin, cross-origin and top origin.</summary>
    public static WebAuthnCheck? ClientData(ReadOnlySpan<byte> clientDataJson, string expectedType, string expectedChallenge, WebAuthnPolicy policy)
    {
        if (clientDataJson.Length > CollectedClientData.MaxBytes)
        {
            return new(WebAuthnReasons.TooLarge, $"clientDataJSON has {clientDataJson.Length} bytes (at most {CollectedClientData.MaxBytes}).");
        }

        if (CollectedClientData.TryParse(clientDataJson) is not { } data)
        {
            return new(WebAuthnReasons.MalformedRequest, "clientDataJSON is not a JSON object with type, challenge and origin, or repeats a member.");
        }

        if (!string.Equals(data.Type, expectedType, StringComparison.Ordinal)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(data.Challenge), Encoding.UTF8.GetBytes(expectedChallenge)))
        {
            return new(WebAuthnReasons.ChallengeMismatch, $"clientDataJSON is of type '{LogText.Escape(data.Type)}' or for another challenge (expected {expectedType}).");
        }

        // Ordinal, no Uri: https://HOST, https://host:443 and http://host must not count as the configured origin.
        if (!string.Equals(data.Origin, policy.Origin, StringComparison.Ordinal))
        {
            return new(WebAuthnReasons.OriginMismatch, $"Origin '{LogText.Escape(data.Origin)}' is not '{policy.Origin}'.");
        }

        if ((data.CrossOrigin || data.TopOrigin is not null)
            && (!policy.AllowCrossOrigin || (data.TopOrigin is { } top && !policy.AllowedTopOrigins.Contains(top))))
        {
            return new(WebAuthnReasons.CrossOrigin, $"The ceremony ran in a cross-origin frame (top origin '{LogText.Escape(data.TopOrigin ?? "-")}').");
        }

        return null;
    }

    /// <summary>Checks the fixed part of authenticator data: RP ID hash, UP, UV by policy, and BS only with BE.</summary>
    public static WebAuthnCheck? AuthenticatorData(ReadOnlySpan<byte> authenticatorData, WebAuthnPolicy policy, out AuthenticatorFlags flags, out uint signCount)
    {
        flags = AuthenticatorFlags.None;
        signCount = 0;
        if (authenticatorData.Length < AuthenticatorDataHeaderBytes)
        {
            return new(WebAuthnReasons.MalformedRequest, $"Authenticator data has {authenticatorData.Length} bytes (at least {AuthenticatorDataHeaderBytes}).");
        }

        flags = (AuthenticatorFlags)authenticatorData[32];
        signCount = BinaryPrimitives.ReadUInt32BigEndian(authenticatorData[33..37]);
        if (!CryptographicOperations.FixedTimeEquals(authenticatorData[..32], SHA256.HashData(Encoding.UTF8.GetBytes(policy.EffectiveRpId))))
        {
            return new(WebAuthnReasons.RpIdMismatch, $"The authenticator data is not for the RP ID '{policy.EffectiveRpId}'.");
        }

        if (!flags.HasFlag(AuthenticatorFlags.UserPresent))
        {
            return new(WebAuthnReasons.UserNotPresent, "The UP flag is not set.");
        }

        if (policy.RequireUserVerification && !flags.HasFlag(AuthenticatorFlags.UserVerified))
        {
            return new(WebAuthnReasons.UserNotVerified, "The UV flag is not set and the policy requires user verification.");
        }

        return flags.HasFlag(AuthenticatorFlags.BackedUp) && !flags.HasFlag(AuthenticatorFlags.BackupEligible)
            ? new(WebAuthnReasons.InvalidBackupState, "BS is set without BE.")
            : null;
    }

    /// <summary>Checks an assertion's flags and counter against the stored credential: the same BE, and a counter that increases.</summary>
    // Counter: both zero means the authenticator keeps no counter (passkeys that sync); otherwise it must grow
    // (Level 3 §7.2 step 22), a regression suggests a cloned authenticator and is refused.
    public static WebAuthnCheck? StoredCredential(AuthenticatorFlags flags, uint signCount, WebAuthnCredentialRecord stored)
    {
        if (flags.HasFlag(AuthenticatorFlags.BackupEligible) != stored.BackupEligible)
        {
            return new(WebAuthnReasons.BackupEligibilityChanged, $"BE is {flags.HasFlag(AuthenticatorFlags.BackupEligible)}, registered as {stored.BackupEligible}.");
        }

        return (signCount != 0 || stored.SignCount != 0) && signCount <= stored.SignCount
            ? new(WebAuthnReasons.CounterRegression, $"signCount {signCount} does not exceed the stored {stored.SignCount}.")
            : null;
    }
}
