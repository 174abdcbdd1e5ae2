using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MutualAuth.AspNetCore.Audit;
using MutualAuth.AspNetCore.Tls;
using MutualAuth.Authentication;
using MutualAuth.Certificates;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>
/// Authenticates the client certificate of the connection. When <see cref="ClientCertificateHandshakeValidator"/>
/// already decided during the handshake, that decision is reused; otherwise the certificate is validated
/// here against <see cref="MutualTlsOptions.TrustPolicy"/> (with the configured intermediates only).
/// </summary>
internal sealed class MutualTlsHandler(IOptionsMonitor<MutualTlsOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder)
    : AuthenticationHandler<MutualTlsOptions>(options, loggerFactory, encoder)
{
    private new MutualTlsEvents Events => (MutualTlsEvents)base.Events!;

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new MutualTlsEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var certificate = await Context.Connection.GetClientCertificateAsync(Context.RequestAborted);
        var handshake = Context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(typeof(HandshakeValidation), out var item) == true
            ? item as HandshakeValidation
            : null;
        var fromHandshake = certificate is not null && handshake is not null && handshake.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span);
        var result = fromHandshake
            ? handshake!.Result
            : new ChainValidator(TimeProvider).Validate(certificate, [], Options.TrustPolicy!());

        if (!result.IsValid)
        {
            Log.AuthenticationRefused(Logger, Context.Connection.PeerEndpoint(), result.Code, LogText.Escape(result.Detail));
            if (!fromHandshake)
            {
                RecordAudit(AuditDecision.Refuse, null, certificate is null ? null : SerialNumbers.Normalize(certificate.SerialNumber), result);
            }

            var failed = new MutualTlsFailedContext(Context, Scheme, Options, certificate, result);
            await Events.Failed(failed);
            return failed.Result ?? AuthenticateResult.Fail("Client certificate refused.");
        }

        var identity = (fromHandshake ? handshake!.Identity : null) ?? MutualIdentity.FromCertificate(certificate!);
        if (!fromHandshake)
        {
            RecordAudit(AuditDecision.Accept, identity.Subject, identity.CredentialId, result);
        }

        var validated = new MutualTlsValidatedContext(Context, Scheme, Options, certificate!, identity)
        {
            Principal = identity.ToClaimsPrincipal(Scheme.Name, ClaimsIssuer),
        };
        await Events.Validated(validated);
        if (validated.Result is not null)
        {
            return validated.Result;
        }

        validated.Success();
        Context.Items[typeof(MutualIdentity)] = identity;
        Log.Authenticated(Logger, LogText.Escape(identity.Subject), identity.CredentialId);
        return validated.Result!;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // A certificate is a connection-level credential: there is nothing to challenge for, so refuse.
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    private void RecordAudit(AuditDecision decision, string? subject, string? serial, ChainValidationResult result) =>
        Context.RecordAudit(TimeProvider, AuthenticationMethods.MutualTls, decision, subject, serial, result.Code, result.IsValid ? null : result.Detail);
}
