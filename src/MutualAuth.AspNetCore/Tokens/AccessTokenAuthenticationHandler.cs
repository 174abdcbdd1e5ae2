using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.Authentication;
using MutualAuth.Tokens;

namespace MutualAuth.AspNetCore.Tokens;

/// <summary>
/// The <c>token</c> method: an RFC 9068 access token in <c>Authorization: DPoP</c> with a proof by its key (RFC 9449
/// §7), or in <c>Authorization: Bearer</c> over the TLS connection of its certificate (RFC 8705 §3). A bound token
/// presented otherwise is refused; unbound tokens only where <see cref="AccessTokenAuthenticationOptions.AllowBearer"/>.
/// </summary>
internal sealed class AccessTokenAuthenticationHandler(IOptionsMonitor<AccessTokenAuthenticationOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder)
    : MutualAuthenticationHandler<AccessTokenAuthenticationOptions, MutualValidatedContext<AccessTokenAuthenticationOptions>, MutualFailedContext<AccessTokenAuthenticationOptions>>(options, loggerFactory, encoder)
{
    private static readonly object RefusalKey = new();
    private readonly ILogger _log = loggerFactory.CreateLogger("MutualAuth.Token");

    protected override string Method => AuthenticationMethods.Token;

    protected override string RefusalMessage => "The access token was refused.";

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new AccessTokenEvents());

    protected override async Task<MethodOutcome> AuthenticateMethodAsync()
    {
        var authorization = Request.Headers.Authorization;
        var header = authorization.Count == 1 ? authorization[0] : null;
        var space = header?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        if (header is null || space <= 0)
        {
            return MethodOutcome.NoResult;
        }

        var scheme = header[..space];
        var accessToken = header[(space + 1)..].Trim();
        var dpopScheme = scheme.Equals(TokenNames.DpopHeader, StringComparison.OrdinalIgnoreCase);
        if (!dpopScheme && !scheme.Equals(TokenNames.BearerScheme, StringComparison.OrdinalIgnoreCase))
        {
            return MethodOutcome.NoResult;
        }

        DpopProof? proof = null;
        if (dpopScheme)
        {
            var validator = new DpopProofValidator(new DpopValidationOptions { Nonces = Options.Nonces }, Options.SingleUse!, TimeProvider);
            var target = new Uri(Options.PublicUrl!.GetLeftPart(UriPartial.Authority) + Request.PathBase + Request.Path);
            var checkedProof = await validator.ValidateAsync([.. Request.Headers[TokenNames.DpopHeader]], new DpopRequest(Request.Method, target, accessToken), Context.RequestAborted);
            if (!checkedProof.IsValid)
            {
                return Refuse(checkedProof.Reason, null, "The DPoP proof was refused.");
            }

            proof = checkedProof.Value;
        }

        var validated = await new AccessTokenValidator(Options.Issuers, Options.Audience!, TimeProvider).ValidateAsync(accessToken, Context.RequestAborted);
        if (!validated.IsValid)
        {
            return Refuse(validated.Reason, null, "The access token does not validate.");
        }

        var token = validated.Value!;
        var certificate = token.Confirmation.CertificateThumbprint is null ? null : await Context.Connection.GetClientCertificateAsync(Context.RequestAborted);
        var binding = TokenBinding.Check(token, scheme, proof, certificate is null ? default : certificate.RawData, AllowBearer);
        if (binding != ReasonCode.Ok)
        {
            return Refuse(binding, token.ClientId, "The token's binding does not hold for this request.");
        }

        var bindingName = token.Confirmation.JwkThumbprint is not null ? "dpop" : token.Confirmation.CertificateThumbprint is not null ? AuthenticationMethods.MutualTls : "bearer";
        return new MethodOutcome.Accepted(new MutualIdentity
        {
            Subject = token.Subject,
            Method = AuthenticationMethods.Token,
            Amr = token.Confirmation.IsBound ? [TokenNames.AmrProofOfPossession] : [],
            CredentialId = token.Jti,
            Evidence = new TokenEvidence(token.Issuer, token.ClientId, token.Scopes, bindingName),
        });
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // RFC 9449 §7.1 and §9, RFC 6750 §3: the error name only; the reason is in the log and the audit.
        var reason = Context.Items[RefusalKey] as ReasonCode?;
        var error = reason == TokenReasons.NonceRequired ? TokenNames.UseDpopNonce
            : reason is { } r && IsProofReason(r) ? TokenNames.InvalidDpopProof
            : reason is null ? null : TokenNames.InvalidToken;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var algs = string.Join(' ', JwsAlgorithms.Asymmetric);
        Response.Headers.Append("WWW-Authenticate", error is null ? $"DPoP algs=\"{algs}\"" : $"DPoP error=\"{error}\", algs=\"{algs}\"");
        if (AllowBearer)
        {
            Response.Headers.Append("WWW-Authenticate", error is null ? "Bearer" : $"Bearer error=\"{TokenNames.InvalidToken}\"");
        }

        if (Options.Nonces is { } nonces)
        {
            Response.Headers[TokenNames.DpopNonceHeader] = nonces.Current();
        }

        return Task.CompletedTask;
    }

    private bool AllowBearer => Options.AllowBearer || Context.Items.ContainsKey(AccessTokenDefaults.BearerAllowedItem);

    private static bool IsProofReason(ReasonCode reason) =>
        reason == TokenReasons.MissingProof || reason == TokenReasons.MultipleProofs || reason == TokenReasons.HtmMismatch
        || reason == TokenReasons.HtuMismatch || reason == TokenReasons.IatOutOfWindow || reason == TokenReasons.AthMissing
        || reason == TokenReasons.AthMismatch || reason == TokenReasons.InvalidJwk || reason == TokenReasons.PrivateJwk
        || reason == TokenReasons.ReplayedJti;

    private MethodOutcome.Refused Refuse(ReasonCode reason, string? client, string detail)
    {
        Context.Items[RefusalKey] = reason;
        return new MethodOutcome.Refused(reason, detail, client);
    }

    protected override MutualValidatedContext<AccessTokenAuthenticationOptions> CreateValidatedContext(MutualIdentity identity) => new(Context, Scheme, Options, identity);

    protected override MutualFailedContext<AccessTokenAuthenticationOptions> CreateFailedContext(MethodOutcome.Refused refused) => new(Context, Scheme, Options, refused.Reason, refused.Detail);

    protected override void LogAccepted(MutualIdentity identity) =>
        TokenLog.Accepted(_log, LogText.Escape(identity.Subject), PeerForLog, (identity.Evidence as TokenEvidence)?.Binding ?? "-");

    protected override void LogRefused(MethodOutcome.Refused refused) =>
        TokenLog.Refused(_log, PeerForLog, refused.Reason.Value, LogText.Escape(refused.Detail));
}
