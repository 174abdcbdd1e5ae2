using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Fido2NetLib.Serialization;
using MutualAuth.Authentication;
using MutualAuth.Storage;
using MutualAuth.WebAuthn;
using AuthenticatorFlags = MutualAuth.WebAuthn.AuthenticatorFlags;

namespace MutualAuth.AspNetCore.WebAuthn;

/// <summary>
/// The two WebAuthn ceremonies: Fido2 verifies signatures and attestation statements; <see cref="WebAuthnChecks"/>
/// adds what Fido2 does not do (docs/webauthn.md). Every refusal is a <see cref="WebAuthnOutcome"/> with a reason, never an exception.
/// </summary>
internal sealed class WebAuthnRelyingParty(WebAuthnOptions options, TimeProvider time)
{
    public const string RegisterPurpose = "register";
    public const string LoginPurpose = "login";
    private const int MaxSignatureBytes = 1024;
    private const int MaxUserHandleBytes = 64;
    private const int MaxAuthenticatorDataBytes = 1024;

    // Without a configured key the stand-ins change when the process restarts (serve keeps one in the data folder).
    private static readonly byte[] ProcessUserNameKey = RandomNumberGenerator.GetBytes(32);

    private readonly WebAuthnPolicy _policy = options.Policy!;
    private readonly IWebAuthnCredentialStore _credentials = options.Credentials!;
    private readonly IWebAuthnChallengeStore _challenges = options.Challenges!;

    private Fido2 Fido2 => new(new Fido2Configuration
    {
        RPID = _policy.EffectiveRpId,
        RPName = _policy.RpName,
        // Fido2 also wants an allowed topOrigin in this set; the origin itself was compared exactly before (WebAuthnChecks).
        Origins = new HashSet<string>([_policy.Origin, .. _policy.AllowCrossOrigin ? _policy.AllowedTopOrigins : new HashSet<string>()], StringComparer.Ordinal),
        AllowCrossOriginRequests = _policy.AllowCrossOrigin,
        TimestampDriftTolerance = 0,
    }, null!);

    /// <summary>Starts a registration for <paramref name="userName"/>: (challenge id, options JSON).</summary>
    public async Task<(string ChallengeId, string Options)> BeginRegistrationAsync(string userName, CancellationToken cancellationToken)
    {
        var existing = await _credentials.ListAsync(userName, cancellationToken);
        // One user handle per user, random: authenticators replace an old credential of the same handle, and it tells nothing about the user.
        var handle = existing.Count > 0 ? existing[0].UserHandle : RandomNumberGenerator.GetBytes(32);
        var created = Fido2.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = handle, Name = userName, DisplayName = userName },
            ExcludeCredentials = [.. existing.Select(c => new PublicKeyCredentialDescriptor(c.CredentialId))],
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Preferred,
                UserVerification = _policy.RequireUserVerification ? UserVerificationRequirement.Required : UserVerificationRequirement.Preferred,
            },
            AttestationPreference = _policy.AllowedAaguids.Count > 0 ? AttestationConveyancePreference.Direct : AttestationConveyancePreference.None,
            PubKeyCredParams = [PubKeyCredParam.ES256, PubKeyCredParam.PS256, PubKeyCredParam.RS256, PubKeyCredParam.Ed25519],
        });
        var json = created.ToJson();
        return (await StoreAsync(RegisterPurpose, new WebAuthnCeremonyState(userName, Base64Url.EncodeToString(handle), json), cancellationToken), json);
    }

    /// <summary>Starts a login, for <paramref name="userName"/>'s credentials when named: (challenge id, options JSON).</summary>
    public async Task<(string ChallengeId, string Options)> BeginLoginAsync(string? userName, string? askUserVerification, CancellationToken cancellationToken)
    {
        var allowed = userName is null ? [] : await _credentials.ListAsync(userName, cancellationToken);
        // A name without passkeys gets the same shape of answer as one with: a stand-in credential id derived from the
        // name (Level 3 §14.6.2), the same on every request, so the options do not tell which users exist.
        IEnumerable<byte[]> ids = userName is not null && allowed.Count == 0 ? [StandInCredentialId(userName)] : allowed.Select(c => c.CredentialId);
        var asked = askUserVerification switch
        {
            "preferred" => UserVerificationRequirement.Preferred,
            "discouraged" => UserVerificationRequirement.Discouraged,
            _ => _policy.RequireUserVerification ? UserVerificationRequirement.Required : UserVerificationRequirement.Preferred,
        };
        var assertion = Fido2.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = [.. ids.Select(id => new PublicKeyCredentialDescriptor(id))],
            UserVerification = asked,
        });
        var json = assertion.ToJson();
        return (await StoreAsync(LoginPurpose, new WebAuthnCeremonyState(userName, null, json), cancellationToken), json);
    }

    /// <summary>Finishes a registration: checks, verifies with Fido2, stores the credential.</summary>
    public async Task<WebAuthnOutcome> FinishRegistrationAsync(string? challengeId, JsonElement credential, CancellationToken cancellationToken)
    {
        if (await TakeAsync(challengeId, RegisterPurpose, cancellationToken) is not { User: { } user, UserHandle: { } handle } state)
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.UnknownChallenge, "The registration challenge is unknown, used or expired.");
        }

        AuthenticatorAttestationRawResponse raw;
        CredentialCreateOptions created;
        try
        {
            raw = credential.Deserialize(WebAuthnJsonContext.Default.AuthenticatorAttestationRawResponse)!;
            created = CredentialCreateOptions.FromJson(state.Options);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException or NotSupportedException)
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.MalformedRequest, "The credential is not PublicKeyCredential JSON.", user);
        }

        if (raw?.Response?.AttestationObject is not { } attestationBytes || raw.Response.ClientDataJson is not { } clientData || raw.RawId is not { } rawId)
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.MalformedRequest, "The credential lacks rawId, clientDataJSON or attestationObject.", user);
        }

        if (rawId.Length > WebAuthnPolicy.MaxCredentialIdBytes)
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.TooLarge, $"The credential id has {rawId.Length} bytes (at most {WebAuthnPolicy.MaxCredentialIdBytes}).", user);
        }

        if (WebAuthnChecks.ClientData(clientData, "webauthn.create", Base64Url.EncodeToString(created.Challenge), _policy) is { } clientRefusal)
        {
            return WebAuthnOutcome.Refused(clientRefusal.Reason, clientRefusal.Detail, user);
        }

        if (AttestationObject.TryRead(attestationBytes, out var tooLarge) is not { } attestation)
        {
            return WebAuthnOutcome.Refused(tooLarge ? WebAuthnReasons.TooLarge : WebAuthnReasons.MalformedRequest,
                tooLarge ? "The attestation object or its credential id is over the size limit." : "The attestation object is not CBOR with fmt and authData with a credential.", user);
        }

        if (!CryptographicOperations.FixedTimeEquals(attestation.CredentialId, rawId))
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.MalformedRequest, "rawId is not the credential id in the authenticator data.", user);
        }

        if (WebAuthnChecks.AuthenticatorData(attestation.AuthenticatorData, _policy, out _, out _) is { } dataRefusal)
        {
            return WebAuthnOutcome.Refused(dataRefusal.Reason, dataRefusal.Detail, user);
        }

        var aaguid = new Guid(attestation.AuthenticatorData.AsSpan(WebAuthnChecks.AuthenticatorDataHeaderBytes, 16), bigEndian: true);
        if (attestation.Format != "none" && !(attestation.Format == "packed" && _policy.AllowedAaguids.Count > 0))
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.AttestationNotAllowed, $"Attestation format '{LogText.Escape(attestation.Format)}' is not allowed.", user);
        }

        if (attestation.Format == "packed" && !_policy.AllowedAaguids.Contains(aaguid))
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.AaguidNotAllowed, $"Authenticator model {aaguid} is not on the allow-list.", user);
        }

        RegisteredPublicKeyCredential registered;
        try
        {
            registered = await Fido2.MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = raw,
                OriginalOptions = created,
                IsCredentialIdUniqueToUserCallback = async (p, ct) => await _credentials.FindAsync(p.CredentialId, ct) is null,
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not StoreException)
        {
            return LibraryRefusal(e, user);
        }

        var record = new WebAuthnCredentialRecord(registered.Id, user, Base64Url.DecodeFromChars(handle), registered.PublicKey, registered.SignCount,
            registered.IsBackupEligible, registered.IsBackedUp, registered.AaGuid, registered.AttestationFormat, time.GetUtcNow(), null);
        return await _credentials.AddAsync(record, cancellationToken)
            ? new WebAuthnOutcome(record, ReasonCode.Ok, "registered", user, UserVerified: true)
            : WebAuthnOutcome.Refused(WebAuthnReasons.CredentialExists, "The credential id is already registered.", user);
    }

    /// <summary>Finishes a login: checks, verifies the signature with Fido2, records the counter.</summary>
    public async Task<WebAuthnOutcome> FinishLoginAsync(string? challengeId, JsonElement credential, CancellationToken cancellationToken)
    {
        if (await TakeAsync(challengeId, LoginPurpose, cancellationToken) is not { } state)
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.UnknownChallenge, "The login challenge is unknown, used or expired.");
        }

        var user = state.User;
        AuthenticatorAssertionRawResponse raw;
        AssertionOptions asked;
        try
        {
            raw = credential.Deserialize(FidoModelSerializerContext.Default.AuthenticatorAssertionRawResponse)!;
            asked = AssertionOptions.FromJson(state.Options);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException or NotSupportedException)
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.MalformedRequest, "The credential is not PublicKeyCredential JSON.", user);
        }

        if (raw?.RawId is not { } rawId || raw.Response?.ClientDataJson is not { } clientData || raw.Response.AuthenticatorData is not { } authenticatorData || raw.Response.Signature is not { } signature)
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.MalformedRequest, "The credential lacks rawId, clientDataJSON, authenticatorData or signature.", user);
        }

        if (rawId.Length > WebAuthnPolicy.MaxCredentialIdBytes || signature.Length > MaxSignatureBytes || authenticatorData.Length > MaxAuthenticatorDataBytes
            || raw.Response.UserHandle?.Length > MaxUserHandleBytes)
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.TooLarge, "The credential id, signature, authenticator data or user handle is over its size limit.", user);
        }

        if (WebAuthnChecks.ClientData(clientData, "webauthn.get", Base64Url.EncodeToString(asked.Challenge), _policy) is { } clientRefusal)
        {
            return WebAuthnOutcome.Refused(clientRefusal.Reason, clientRefusal.Detail, user);
        }

        var stored = await _credentials.FindAsync(rawId, cancellationToken);
        if (stored is null || (user is not null && !string.Equals(stored.UserName, user, StringComparison.Ordinal)))
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.UnknownCredential, "The credential is not registered for this user.", user);
        }

        // Without a user name (empty allowCredentials) the authenticator must name its user (Level 3 §7.2 step 6).
        if (user is null && raw.Response.UserHandle is null)
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.UserHandleMismatch, "A login without a user name needs the discoverable credential's user handle.", stored.UserName);
        }

        user = stored.UserName;
        if (raw.Response.UserHandle is { } userHandle && !CryptographicOperations.FixedTimeEquals(userHandle, stored.UserHandle))
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.UserHandleMismatch, "The user handle is not the credential's user's.", user);
        }

        if (WebAuthnChecks.AuthenticatorData(authenticatorData, _policy, out var flags, out var signCount) is { } dataRefusal
            || WebAuthnChecks.StoredCredential(flags, signCount, stored) is { } storedRefusal && (dataRefusal = storedRefusal) is not null)
        {
            return WebAuthnOutcome.Refused(dataRefusal.Reason, dataRefusal.Detail, user);
        }

        try
        {
            await Fido2.MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = raw,
                OriginalOptions = asked,
                StoredPublicKey = stored.PublicKey,
                StoredSignatureCounter = stored.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (p, _) => Task.FromResult(CryptographicOperations.FixedTimeEquals(p.UserHandle, stored.UserHandle)),
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not StoreException)
        {
            return LibraryRefusal(e, user);
        }

        // Conditional on the counter read above: of two logins racing with one counter value, one fails here.
        var backedUp = flags.HasFlag(AuthenticatorFlags.BackedUp);
        if (!await _credentials.RecordUseAsync(rawId, stored.SignCount, signCount, backedUp, time.GetUtcNow(), cancellationToken))
        {
            return WebAuthnOutcome.Refused(WebAuthnReasons.CounterRegression, "The stored counter changed during the login.", user);
        }

        return new WebAuthnOutcome(stored with { SignCount = signCount, BackedUp = backedUp }, ReasonCode.Ok, "login", user, flags.HasFlag(AuthenticatorFlags.UserVerified));
    }

    /// <summary>The stand-in credential id of <paramref name="userName"/>: HMAC-SHA256 under <see cref="WebAuthnOptions.UserNameKey"/>, as long as the ids of common authenticators (32 bytes).</summary>
    internal byte[] StandInCredentialId(string userName) =>
        HMACSHA256.HashData(options.UserNameKey ?? ProcessUserNameKey, Encoding.UTF8.GetBytes("webauthn stand-in credential\0" + userName));

    /// <summary>Takes an enrolment invitation: the user it is for, or null when unknown, used or expired.</summary>
    public Task<string?> TakeInviteAsync(string? invite, CancellationToken cancellationToken) => WebAuthnInvitations.TakeAsync(_challenges, invite, time, cancellationToken);

    /// <summary>Fido2's verdict: a failed verification, or (any other exception) input it could not parse; never a 500.</summary>
    private static WebAuthnOutcome LibraryRefusal(Exception e, string? user) =>
        WebAuthnOutcome.Refused(e is Fido2VerificationException ? WebAuthnReasons.InvalidSignature : WebAuthnReasons.MalformedRequest, LogText.Escape(e.Message), user);

    private async Task<string> StoreAsync(string purpose, WebAuthnCeremonyState state, CancellationToken cancellationToken)
    {
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        await _challenges.AddAsync(id, purpose, JsonSerializer.Serialize(state, WebAuthnJsonContext.Default.WebAuthnCeremonyState), time.GetUtcNow() + _policy.ChallengeLifetime, cancellationToken);
        return id;
    }

    private async Task<WebAuthnCeremonyState?> TakeAsync(string? challengeId, string purpose, CancellationToken cancellationToken)
    {
        if (challengeId is null or { Length: > 128 } || await _challenges.TakeAsync(challengeId, purpose, time.GetUtcNow(), cancellationToken) is not { } payload)
        {
            return null;
        }

        return JsonSerializer.Deserialize(payload, WebAuthnJsonContext.Default.WebAuthnCeremonyState);
    }
}
