using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.Authentication;
using MutualAuth.MessageSignatures;

namespace MutualAuth.AspNetCore.MessageSignatures;

/// <summary>
/// Authenticates requests signed with HTTP Message Signatures (RFC 9421) and keeps the verified request for the
/// response signature (<see cref="ResponseSignatureMiddleware"/>); see docs/signatures.md.
/// </summary>
internal sealed class HttpSignatureAuthenticationHandler(IOptionsMonitor<HttpSignatureAuthenticationOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder)
    : MutualAuthenticationHandler<HttpSignatureAuthenticationOptions, MutualValidatedContext<HttpSignatureAuthenticationOptions>, MutualFailedContext<HttpSignatureAuthenticationOptions>>(options, loggerFactory, encoder)
{
    private const int MaxNonceLength = 256;
    private static readonly object BodyTooLargeKey = new();
    private readonly ILogger _log = loggerFactory.CreateLogger("MutualAuth.HttpSignature");

    protected override string Method => AuthenticationMethods.HttpSignature;

    protected override string RefusalMessage => "The request signature was refused.";

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new HttpSignatureEvents());

    protected override async Task<MethodOutcome> AuthenticateMethodAsync()
    {
        if (!Request.Headers.ContainsKey(SignatureFields.SignatureInput))
        {
            return MethodOutcome.NoResult;
        }

        var message = HttpRequestComponents.From(Request);
        // CanHaveBody covers HTTP/2 and HTTP/3 bodies sent without Content-Length, not only chunked HTTP/1.1.
        var hasBody = Request.ContentLength > 0 || (Request.ContentLength is null && Context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false);
        var resolved = new List<SignatureClient>();
        try
        {
            return await Authenticate(message, hasBody, resolved);
        }
        finally
        {
            resolved.ForEach(c => c.Key.Dispose()); // the resolver made these keys for this request
        }
    }

    private async Task<MethodOutcome> Authenticate(HttpMessageComponents message, bool hasBody, List<SignatureClient> resolved)
    {
        SignatureClient? client = null;
        var verifier = new MessageVerifier(
            async (keyId, cancellationToken) =>
            {
                client = await Options.ResolveClient!(keyId, cancellationToken);
                if (client is not null)
                {
                    resolved.Add(client);
                }

                return client?.Key;
            },
            TimeProvider);
        var result = await verifier.VerifyAsync(message, new SignatureVerificationPolicy
        {
            Tag = Options.Tag,
            RequiredComponents = [.. Options.RequiredComponents, .. hasBody ? [ComponentIdentifier.Field(ContentDigest.FieldName)] : Array.Empty<ComponentIdentifier>()],
            RequireCreated = true,
            RequireExpires = true,
            RequireNonce = true,
            MaxAge = Options.MaxAge,
            ClockSkew = Options.ClockSkew,
        }, Context.RequestAborted);
        if (!result.Succeeded)
        {
            return Refuse(result.KeyId, client?.Name, result.Failure.ToReasonCode(), "The request signature does not verify: " + result.Failure);
        }

        var parameters = result.Parameters!;
        if (result.Nonce!.Length > MaxNonceLength || result.KeyId!.Length > MaxNonceLength)
        {
            return Refuse(result.KeyId, client!.Name, SignatureReasons.NonceTooLong, $"The nonce or keyid is longer than {MaxNonceLength} characters.");
        }

        if (parameters.Expires - parameters.Created > (long)Options.MaxAge.TotalSeconds)
        {
            return Refuse(result.KeyId, client!.Name, SignatureReasons.LifetimeTooLong, "The signature's expires is further from created than allowed.");
        }

        if (hasBody || Request.Headers.ContainsKey(ContentDigest.FieldName))
        {
            var body = await ReadBody();
            if (body is null)
            {
                Context.Items[BodyTooLargeKey] = true;
                return Refuse(result.KeyId, client!.Name, SignatureReasons.BodyTooLarge, $"The signed body is larger than {Options.MaxBodySize} bytes.");
            }

            var digest = ContentDigest.Verify(message.FieldLines(ContentDigest.FieldName), body);
            if (digest != ContentDigestResult.Valid)
            {
                return Refuse(result.KeyId, client!.Name, new ReasonCode(ContentDigest.ReasonCode(digest)), "The Content-Digest does not match the body: " + digest);
            }
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(parameters.Expires!.Value) + Options.ClockSkew;
        if (!await Options.ReplayCache!.TryAddAsync(result.KeyId!, result.Nonce!, expires, TimeProvider.GetUtcNow(), Context.RequestAborted))
        {
            return Refuse(result.KeyId, client!.Name, SignatureReasons.ReplayedNonce, "The nonce was already used.");
        }

        // An HMAC client gets its response signed under a key derived from its secret (HmacResponseKey), derived here from
        // the secret already unsealed for this request; the secret itself is disposed when authentication ends.
        HttpSignatureKey? responseKey = null;
        if (result.Key!.Algorithm == HttpSignatureAlgorithm.HmacSha256)
        {
            if (!HmacResponseKey.CanDerive(result.Key))
            {
                return Refuse(result.KeyId, client!.Name, SignatureReasons.ResponseKeyUnavailable, "The resolver's hmac-sha256 key is not one HmacResponseKey can derive from.");
            }

            responseKey = HmacResponseKey.Derive(result.Key, result.KeyId!);
            Response.RegisterForDispose(responseKey); // if the response is never signed; signing disposes it at once
        }

        Context.Items[typeof(VerifiedRequestSignature)] = new VerifiedRequestSignature(message, result.Label!, result.KeyId!, responseKey);
        return new MethodOutcome.Accepted(new MutualIdentity
        {
            Subject = client!.Name,
            Method = AuthenticationMethods.HttpSignature,
            Amr = [AuthenticationMethods.AmrSoftwareKey],
            CredentialId = result.KeyId!,
            Evidence = new SignatureEvidence(result.KeyId!, HttpSignatureAlgorithms.Name(result.Key.Algorithm)),
        });
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(BodyTooLargeKey))
        {
            // The signature verified; only the body is over the limit: say so rather than ask for a new signature.
            Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Task.CompletedTask;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append("WWW-Authenticate", "Signature realm=\"mutualauth\"");
        Response.Headers["Accept-Signature"] = $"sig1=(\"@method\" \"@target-uri\" \"content-digest\");created;expires;nonce;keyid;tag=\"{Options.Tag}\"";
        return Task.CompletedTask;
    }

    private async Task<byte[]?> ReadBody()
    {
        if (Request.ContentLength > Options.MaxBodySize)
        {
            return null;
        }

        Request.EnableBuffering(Options.MaxBodySize);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await Request.Body.ReadAsync(chunk, Context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > Options.MaxBodySize)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        Request.Body.Position = 0;
        return buffer.ToArray();
    }

    private static MethodOutcome.Refused Refuse(string? keyId, string? client, ReasonCode reason, string detail) =>
        new(reason, detail, client, keyId);

    protected override MutualValidatedContext<HttpSignatureAuthenticationOptions> CreateValidatedContext(MutualIdentity identity) => new(Context, Scheme, Options, identity);

    protected override MutualFailedContext<HttpSignatureAuthenticationOptions> CreateFailedContext(MethodOutcome.Refused refused) => new(Context, Scheme, Options, refused.Reason, refused.Detail);

    protected override void LogAccepted(MutualIdentity identity) =>
        Log.SignatureAccepted(_log, LogText.Escape(identity.Subject), LogText.Escape(identity.CredentialId), PeerForLog);

    protected override void LogRefused(MethodOutcome.Refused refused) =>
        Log.SignatureRefused(_log, LogText.Escape(refused.CredentialId ?? "-"), PeerForLog, refused.Reason.Value, LogText.Escape(refused.Detail));
}

/// <summary>The verified request and its signature's label, for the response signature; for an HMAC client also the response key.</summary>
/// <param name="Request">The request as signed.</param>
/// <param name="Label">The label of the verified signature.</param>
/// <param name="KeyId">The client's verified <c>keyid</c>.</param>
/// <param name="ResponseKey">
/// For an <c>hmac-sha256</c> client, its response key (<see cref="HmacResponseKey"/>), signed with under <paramref name="KeyId"/>
/// and disposed (zeroed) once the response is signed or the request ends; null for asymmetric clients, whose responses
/// the server's own key signs.
/// </param>
internal sealed record VerifiedRequestSignature(HttpMessageComponents Request, string Label, string KeyId, HttpSignatureKey? ResponseKey);
