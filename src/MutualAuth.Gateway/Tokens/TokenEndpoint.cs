using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using MutualAuth.AspNetCore.Audit;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.Authentication;
using MutualAuth.Tokens;

namespace MutualAuth.Gateway.Tokens;

/// <summary>
/// <c>POST /oauth/token</c>, grant <c>client_credentials</c> (RFC 6749 §4.4): the client authenticates with
/// <c>private_key_jwt</c> (RFC 7523) or its TLS certificate (RFC 8705 <c>tls_client_auth</c>), and gets a token bound to
/// its DPoP key (RFC 9449) or to that certificate. Refusals name the RFC error; the audit gets the reason code.
/// </summary>
internal sealed class TokenEndpoint
{
    /// <summary>How long a DPoP nonce is current (it is accepted one step longer).</summary>
    public static readonly TimeSpan NonceStep = TimeSpan.FromMinutes(1);

    private const int MaxFormBytes = 16 * 1024;
    private readonly TokenServerOptions _options;
    private readonly TimeProvider _time;
    private readonly DpopNonces _nonces;
    private readonly DpopProofValidator _dpop;
    private readonly ClientAssertionValidator _assertions;

    public TokenEndpoint(TokenServerOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _nonces = new DpopNonces(options.NonceSecret, NonceStep, time);
        var singleUse = options.SingleUse(time);
        _dpop = new DpopProofValidator(new DpopValidationOptions { Nonces = options.RequireDpopNonce ? _nonces : null }, singleUse, time);
        _assertions = new ClientAssertionValidator(options.IssuerIdentifier, singleUse, time);
    }

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (_options.RequireDpopNonce)
        {
            context.Response.Headers[TokenNames.DpopNonceHeader] = _nonces.Current();
        }

        var form = await ReadFormAsync(context);
        if (form is null)
        {
            await Refuse(context, null, TokenNames.InvalidRequest, TokenReasons.InvalidRequest, "the request is not a well-formed form of single parameters");
            return;
        }

        if (Single(form, "grant_type") != TokenNames.ClientCredentialsGrant)
        {
            await Refuse(context, null, TokenNames.UnsupportedGrantType, TokenReasons.UnsupportedGrantType, "only client_credentials is supported");
            return;
        }

        // The proof first: a proof without a current nonce is answered before the client assertion's jti is used up.
        DpopProof? proof = null;
        var dpopHeaders = context.Request.Headers[TokenNames.DpopHeader];
        if (dpopHeaders.Count > 0)
        {
            var checkedProof = await _dpop.ValidateAsync([.. dpopHeaders], new DpopRequest(context.Request.Method, _options.Url(TokenServerPaths.Token)), context.RequestAborted);
            if (!checkedProof.IsValid)
            {
                var error = checkedProof.Reason == TokenReasons.NonceRequired ? TokenNames.UseDpopNonce : TokenNames.InvalidDpopProof;
                await Refuse(context, Single(form, "client_id"), error, checkedProof.Reason, "the DPoP proof was refused");
                return;
            }

            proof = checkedProof.Value;
        }

        var (client, clientReason, certificateDer) = await AuthenticateClientAsync(context, form);
        if (client is null)
        {
            await Refuse(context, Single(form, "client_id") ?? ClientAssertionValidator.ClaimedClient(Single(form, "client_assertion")),
                TokenNames.InvalidClient, clientReason, "client authentication failed");
            return;
        }

        // Sender-constrained only: a DPoP key, else the client certificate of this connection.
        var confirmation = proof is not null ? TokenConfirmation.Dpop(proof.Thumbprint)
            : certificateDer is not null ? TokenConfirmation.Certificate(certificateDer) : null;
        if (confirmation is null)
        {
            await Refuse(context, client.ClientId, TokenNames.InvalidDpopProof, TokenReasons.MissingProof, "no DPoP proof and no client certificate to bind the token to");
            return;
        }

        var requested = Single(form, "scope")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [.. client.Scopes];
        if (requested.Length > 64 || requested.Any(s => !client.Scopes.Contains(s, StringComparer.Ordinal)))
        {
            await Refuse(context, client.ClientId, TokenNames.InvalidScope, TokenReasons.InvalidScope, "a requested scope is not registered for the client");
            return;
        }

        var keys = _options.SigningKeys();
        var issuer = new AccessTokenIssuer(_options.IssuerIdentifier, keys.Current, keys.CurrentKeyId, _time) { Lifetime = _options.TokenLifetime };
        var token = issuer.Issue(client.ClientId, _options.IssuerIdentifier, requested, confirmation);
        context.RecordAudit(_time, AuthenticationMethods.Token, AuditDecision.Accept, client.ClientId, proof?.Thumbprint ?? confirmation.CertificateThumbprint, ReasonCode.Ok, null);
        var body = JwsWriter.Json(w =>
        {
            w.WriteString("access_token", token);
            w.WriteString("token_type", proof is not null ? TokenNames.DpopHeader : TokenNames.BearerScheme);
            w.WriteNumber("expires_in", (long)_options.TokenLifetime.TotalSeconds);
            if (requested.Length > 0)
            {
                w.WriteString("scope", string.Join(' ', requested));
            }
        });
        await Results.Bytes(body, "application/json").ExecuteAsync(context);
    }

    private async Task<(ClientRegistration? Client, ReasonCode Reason, byte[]? CertificateDer)> AuthenticateClientAsync(HttpContext context, Dictionary<string, StringValues> form)
    {
        var clientId = Single(form, "client_id");
        var assertionType = Single(form, "client_assertion_type");
        var assertion = Single(form, "client_assertion");
        var certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted);
        byte[]? certificateDer = null;
        string? certificateSubject = null;
        if (certificate is not null)
        {
            // The handshake validated the chain; the mTLS scheme gives the subject and audits the certificate.
            var result = await context.AuthenticateAsync(MutualTlsDefaults.AuthenticationScheme);
            var identity = result.Succeeded ? context.GetMutualIdentity() : null;
            context.SetMutualIdentity(null);
            if (identity is not null)
            {
                certificateDer = certificate.RawData;
                certificateSubject = identity.Subject;
            }
        }

        if (assertionType is not null || assertion is not null)
        {
            if (assertionType != TokenNames.JwtBearerAssertionType || assertion is null)
            {
                return (null, TokenReasons.InvalidRequest, null);
            }

            var claimed = ClientAssertionValidator.ClaimedClient(assertion);
            if (claimed is null || (clientId is not null && clientId != claimed))
            {
                return (null, claimed is null ? TokenReasons.MalformedToken : TokenReasons.WrongIssuer, null);
            }

            var client = await _options.Clients(claimed, context.RequestAborted);
            if (client is null)
            {
                return (null, TokenReasons.UnknownClient, null);
            }

            var reason = await _assertions.ValidateAsync(assertion, client, context.RequestAborted);
            return reason == ReasonCode.Ok ? (client, reason, certificateDer) : (null, reason, null);
        }

        if (clientId is null)
        {
            return (null, TokenReasons.InvalidRequest, null);
        }

        var registered = await _options.Clients(clientId, context.RequestAborted);
        if (registered is null)
        {
            return (null, TokenReasons.UnknownClient, null);
        }

        if (registered.Method != ClientAuthenticationMethod.TlsClientAuth)
        {
            return (null, TokenReasons.WrongClientAuthentication, null);
        }

        return certificateSubject is not null && string.Equals(certificateSubject, registered.CertificateSubject ?? registered.ClientId, StringComparison.Ordinal)
            ? (registered, ReasonCode.Ok, certificateDer)
            : (null, TokenReasons.CertificateMismatch, null);
    }

    private async Task Refuse(HttpContext context, string? client, string error, ReasonCode reason, string detail)
    {
        context.RecordAudit(_time, AuthenticationMethods.Token, AuditDecision.Refuse, client, null, reason, detail);
        // RFC 6749 §5.2: 401 for invalid_client; 400 for the others. Only the RFC error name, nothing about keys.
        var status = error == TokenNames.InvalidClient ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;
        context.Response.StatusCode = status;
        await Results.Bytes(JwsWriter.Json(w => w.WriteString("error", error)), "application/json").ExecuteAsync(context);
    }

    private static async Task<Dictionary<string, StringValues>?> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType || context.Request.ContentLength is > MaxFormBytes)
        {
            return null;
        }

        try
        {
            var form = await context.Request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions
            {
                BufferBody = false,
                ValueCountLimit = 32,
                KeyLengthLimit = 64,
                ValueLengthLimit = MaxFormBytes,
            }, context.RequestAborted);

            // RFC 6749 §3.2: parameters must not be repeated.
            return form.Any(p => p.Value.Count != 1) || form.Files.Count > 0 ? null : form.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static string? Single(Dictionary<string, StringValues> form, string name) =>
        form.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
