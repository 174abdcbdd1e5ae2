using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MutualAuth.AspNetCore.Audit;
using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>
/// The base of every MutualAuth scheme: runs the method's protocol step, then logs, audits, raises the events, builds
/// the principal and sets the <see cref="IMutualIdentityFeature"/>.
/// </summary>
/// <typeparam name="TOptions">The scheme's options.</typeparam>
/// <typeparam name="TValidatedContext">The context of <c>OnValidated</c>.</typeparam>
/// <typeparam name="TFailedContext">The context of <c>OnFailed</c>.</typeparam>
internal abstract class MutualAuthenticationHandler<TOptions, TValidatedContext, TFailedContext>(IOptionsMonitor<TOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder)
    : AuthenticationHandler<TOptions>(options, loggerFactory, encoder)
    where TOptions : AuthenticationSchemeOptions, new()
    where TValidatedContext : MutualValidatedContext<TOptions>
    where TFailedContext : MutualFailedContext<TOptions>
{
    private new MutualAuthenticationEvents<TValidatedContext, TFailedContext> Events => (MutualAuthenticationEvents<TValidatedContext, TFailedContext>)base.Events!;

    /// <summary>The method name (<see cref="AuthenticationMethods"/>), as audited.</summary>
    protected abstract string Method { get; }

    /// <summary>The failure message of a refused <see cref="AuthenticateResult"/> (generic: the reason goes to the log and audit).</summary>
    protected abstract string RefusalMessage { get; }

    /// <summary>The peer as <c>IP:port</c>, or <c>-</c>, for log lines.</summary>
    protected string PeerForLog => Context.Connection.PeerEndpoint() ?? "-";

    /// <summary>The method's protocol step: accept with an identity, refuse with a reason, or no result.</summary>
    protected abstract Task<MethodOutcome> AuthenticateMethodAsync();

    /// <summary>The context of <c>OnValidated</c> for <paramref name="identity"/>.</summary>
    protected abstract TValidatedContext CreateValidatedContext(MutualIdentity identity);

    /// <summary>The context of <c>OnFailed</c> for <paramref name="refused"/>.</summary>
    protected abstract TFailedContext CreateFailedContext(MethodOutcome.Refused refused);

    /// <summary>Writes the method's log line of an accept.</summary>
    protected abstract void LogAccepted(MutualIdentity identity);

    /// <summary>Writes the method's log line of a refusal.</summary>
    protected abstract void LogRefused(MethodOutcome.Refused refused);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        switch (await AuthenticateMethodAsync())
        {
            case MethodOutcome.Accepted accepted:
                return await Accept(accepted);
            case MethodOutcome.Refused refused:
                LogRefused(refused);
                if (refused.Audit)
                {
                    Context.RecordAudit(TimeProvider, Method, AuditDecision.Refuse, refused.Subject, refused.CredentialId, refused.Reason, refused.Detail);
                }

                var failed = CreateFailedContext(refused);
                await Events.Failed(failed);
                return failed.Result ?? AuthenticateResult.Fail(RefusalMessage);
            default:
                return AuthenticateResult.NoResult();
        }
    }

    private async Task<AuthenticateResult> Accept(MethodOutcome.Accepted accepted)
    {
        var identity = accepted.Identity;
        if (accepted.Audit)
        {
            Context.RecordAudit(TimeProvider, Method, AuditDecision.Accept, identity.Subject, identity.CredentialId, ReasonCode.Ok, null);
        }

        var validated = CreateValidatedContext(identity);
        validated.Principal = identity.ToClaimsPrincipal(Scheme.Name, ClaimsIssuer);
        await Events.Validated(validated);
        if (validated.Result is null)
        {
            validated.Success();
        }

        if (validated.Result!.Succeeded)
        {
            Context.SetMutualIdentity(identity);
            LogAccepted(identity);
        }

        return validated.Result;
    }
}
