namespace MutualAuth.Authentication;

/// <summary>The reason codes of WebAuthn registration and login (the relying party's checks, see docs/webauthn.md).</summary>
public static class WebAuthnReasons
{
    /// <summary>The request or credential is not well-formed (JSON, base64url, CBOR, missing fields).</summary>
    public static readonly ReasonCode MalformedRequest = new("malformed-request");

    /// <summary>A field is over its size limit (credential id, clientDataJSON, attestation object…): refused before parsing.</summary>
    public static readonly ReasonCode TooLarge = new("too-large");

    /// <summary>The challenge is unknown, used or expired.</summary>
    public static readonly ReasonCode UnknownChallenge = new("unknown-challenge");

    /// <summary>clientDataJSON names another challenge or ceremony type.</summary>
    public static readonly ReasonCode ChallengeMismatch = new("challenge-mismatch");

    /// <summary>clientDataJSON's origin is not exactly the configured public origin (scheme, host, port).</summary>
    public static readonly ReasonCode OriginMismatch = new("origin-mismatch");

    /// <summary>The ceremony ran in a cross-origin iframe (<c>crossOrigin</c> or <c>topOrigin</c>) and that is not allowed.</summary>
    public static readonly ReasonCode CrossOrigin = new("cross-origin");

    /// <summary>The authenticator data is for another RP ID.</summary>
    public static readonly ReasonCode RpIdMismatch = new("rp-id-mismatch");

    /// <summary>The UP flag is missing: no user was present.</summary>
    public static readonly ReasonCode UserNotPresent = new("user-not-present");

    /// <summary>The UV flag is missing while the policy requires user verification.</summary>
    public static readonly ReasonCode UserNotVerified = new("user-not-verified");

    /// <summary>BS (backed up) without BE (backup eligible): the flags are impossible.</summary>
    public static readonly ReasonCode InvalidBackupState = new("invalid-backup-state");

    /// <summary>The BE flag differs from the one registered with the credential.</summary>
    public static readonly ReasonCode BackupEligibilityChanged = new("backup-eligibility-changed");

    /// <summary>The signature counter did not increase: a cloned authenticator is possible.</summary>
    public static readonly ReasonCode CounterRegression = new("counter-regression");

    /// <summary>The credential id is not registered (or not the user's).</summary>
    public static readonly ReasonCode UnknownCredential = new("unknown-credential");

    /// <summary>The userHandle is not the one of the credential's user.</summary>
    public static readonly ReasonCode UserHandleMismatch = new("user-handle-mismatch");

    /// <summary>The assertion signature (or the attestation) does not verify.</summary>
    public static readonly ReasonCode InvalidSignature = new("invalid-signature");

    /// <summary>The attestation format is not allowed (<c>none</c> by default; <c>packed</c> where configured).</summary>
    public static readonly ReasonCode AttestationNotAllowed = new("attestation-not-allowed");

    /// <summary>The authenticator model (AAGUID) is not on the configured allow-list.</summary>
    public static readonly ReasonCode AaguidNotAllowed = new("aaguid-not-allowed");

    /// <summary>The credential id is already registered.</summary>
    public static readonly ReasonCode CredentialExists = new("credential-exists");

    /// <summary>Registration without an authentication or a valid enrolment link.</summary>
    public static readonly ReasonCode EnrolmentRequired = new("enrolment-required");

    /// <summary>Too many failed ceremonies for this user name or from this client address: 429 until the bucket refills.</summary>
    public static readonly ReasonCode RateLimited = new("rate-limited");

    /// <summary>Every code of WebAuthn, <see cref="ReasonCode.Ok"/> first.</summary>
    public static readonly IReadOnlyList<ReasonCode> All =
    [
        ReasonCode.Ok, MalformedRequest, TooLarge, UnknownChallenge, ChallengeMismatch, OriginMismatch, CrossOrigin, RpIdMismatch,
        UserNotPresent, UserNotVerified, InvalidBackupState, BackupEligibilityChanged, CounterRegression, UnknownCredential,
        UserHandleMismatch, InvalidSignature, AttestationNotAllowed, AaguidNotAllowed, CredentialExists, EnrolmentRequired, RateLimited,
    ];
}
