using System.Buffers.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.Authentication;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.WebAuthn;

/// <summary>
/// Accepts the session cookie a WebAuthn login issued (<see cref="WebAuthnEndpoints"/> runs the ceremonies, audited
/// there); see docs/webauthn.md.
/// </summary>
internal sealed class WebAuthnAuthenticationHandler(IOptionsMonitor<WebAuthnOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, IDataProtectionProvider dataProtection)
    : MutualAuthenticationHandler<WebAuthnOptions, MutualValidatedContext<WebAuthnOptions>, MutualFailedContext<WebAuthnOptions>>(options, loggerFactory, encoder)
{
    private const int MaxCookieLength = 4096;

    protected override string Method => AuthenticationMethods.WebAuthn;

    protected override string RefusalMessage => "WebAuthn authentication failed.";

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new WebAuthnEvents());

    protected override async Task<MethodOutcome> AuthenticateMethodAsync()
    {
        if (!Request.IsHttps || !Request.Cookies.TryGetValue(WebAuthnDefaults.SessionCookie, out var cookie) || cookie.Length > MaxCookieLength)
        {
            return MethodOutcome.NoResult;
        }

        // The login that issued the cookie was audited; each request that presents it is not.
        return await new WebAuthnSessions(dataProtection, TimeProvider).ValidateAsync(cookie, Options.Credentials!, Context.RequestAborted) is { } session
            ? new MethodOutcome.Accepted(Identity(session.Credential, session.UserVerified), Audit: false)
            : MethodOutcome.NoResult;
    }

    /// <summary>The identity of a login with <paramref name="credential"/>.</summary>
    // hwk for a device-bound key (BE=0); a passkey that may sync (BE=1) lives in software on several devices: swk.
    // user: the authenticator verified the user (UV). fpt/face are never claimed: WebAuthn does not say which check ran.
    internal static MutualIdentity Identity(WebAuthnCredentialRecord credential, bool userVerified) => new()
    {
        Subject = credential.UserName,
        Method = AuthenticationMethods.WebAuthn,
        Amr = userVerified
            ? [credential.BackupEligible ? AuthenticationMethods.AmrSoftwareKey : AuthenticationMethods.AmrHardwareKey, AuthenticationMethods.AmrUserPresence]
            : [credential.BackupEligible ? AuthenticationMethods.AmrSoftwareKey : AuthenticationMethods.AmrHardwareKey],
        CredentialId = Base64Url.EncodeToString(credential.CredentialId),
        Evidence = new WebAuthnEvidence(userVerified, credential.BackupEligible, credential.BackedUp, credential.Aaguid),
    };

    protected override MutualValidatedContext<WebAuthnOptions> CreateValidatedContext(MutualIdentity identity) => new(Context, Scheme, Options, identity);

    protected override MutualFailedContext<WebAuthnOptions> CreateFailedContext(MethodOutcome.Refused refused) => new(Context, Scheme, Options, refused.Reason, refused.Detail);

    protected override void LogAccepted(MutualIdentity identity)
    {
        // Session requests are not logged one by one (as SCRAM's sessions).
    }

    protected override void LogRefused(MethodOutcome.Refused refused)
    {
        // The handler never refuses: ceremonies are refused (and logged) by WebAuthnEndpoints.
    }
}
