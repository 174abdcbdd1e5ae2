using System.Security.Cryptography.X509Certificates;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MutualAuth.AspNetCore.Tls;
using MutualAuth.Authentication;
using MutualAuth.Certificates;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>
/// Authenticates the connection's client certificate: reuses the handshake's decision, or validates against
/// <see cref="MutualTlsOptions.TrustPolicy"/> (configured intermediates only).
/// </summary>
internal sealed class MutualTlsHandler(IOptionsMonitor<MutualTlsOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder)
    : MutualAuthenticationHandler<MutualTlsOptions, MutualTlsValidatedContext, MutualTlsFailedContext>(options, loggerFactory, encoder)
{
    private X509Certificate2? _certificate;
    private ChainValidationResult? _result;

    protected override string Method => AuthenticationMethods.MutualTls;

    protected override string RefusalMessage => "Client certificate refused.";

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new MutualTlsEvents());

    protected override async Task<MethodOutcome> AuthenticateMethodAsync()
    {
        _certificate = await Context.Connection.GetClientCertificateAsync(Context.RequestAborted);
        var handshake = Context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(typeof(HandshakeValidation), out var item) == true
            ? item as HandshakeValidation
            : null;
        var fromHandshake = _certificate is not null && handshake is not null && handshake.Certificate.RawDataMemory.Span.SequenceEqual(_certificate.RawDataMemory.Span);
        _result = fromHandshake
            ? handshake!.Result
            : new ChainValidator(TimeProvider).Validate(_certificate, [], Options.TrustPolicy!());
        if (!_result.IsValid)
        {
            return new MethodOutcome.Refused(_result.Reason.ToReasonCode(), _result.Detail,
                CredentialId: _certificate is null ? null : SerialNumbers.Normalize(_certificate.SerialNumber), Audit: !fromHandshake);
        }

        return new MethodOutcome.Accepted((fromHandshake ? handshake!.Identity : null) ?? MutualIdentity.FromCertificate(_certificate!), Audit: !fromHandshake);
    }

    protected override MutualTlsValidatedContext CreateValidatedContext(MutualIdentity identity) => new(Context, Scheme, Options, _certificate!, identity);

    protected override MutualTlsFailedContext CreateFailedContext(MethodOutcome.Refused refused) => new(Context, Scheme, Options, _certificate, _result!);

    protected override void LogAccepted(MutualIdentity identity) => Log.Authenticated(Logger, LogText.Escape(identity.Subject), identity.CredentialId);

    protected override void LogRefused(MethodOutcome.Refused refused) => Log.AuthenticationRefused(Logger, PeerForLog, refused.Reason.Value, LogText.Escape(refused.Detail));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // A certificate is a connection-level credential: there is nothing to challenge for, so refuse.
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
