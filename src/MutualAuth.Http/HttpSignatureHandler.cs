using System.Net;
using MutualAuth.Authentication;
using MutualAuth.MessageSignatures;

namespace MutualAuth.Http;

/// <summary>
/// Signs each request with the client's key (RFC 9421 mutual API keys) and returns the response only when the server's
/// signature over it, bound to this request through <c>;req</c>, verifies with the expected key (docs/signatures.md).
/// </summary>
public sealed class HttpSignatureHandler : DelegatingHandler
{
    private const string Label = MutualSignatureNames.Label;
    private readonly HttpSignatureClientOptions _options;
    private readonly MessageSigner _signer;

    /// <summary>Creates the handler.</summary>
    /// <param name="options">Validated options.</param>
    /// <exception cref="InvalidOperationException">The options are incomplete (<see cref="HttpSignatureClientOptions.Validate"/>).</exception>
    public HttpSignatureHandler(HttpSignatureClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _signer = new MessageSigner(options.TimeProvider);
    }

    /// <summary>Whether responses are signed with the key derived from this client's HMAC secret rather than the server's key.</summary>
    private bool SymmetricResponse => _options.Key!.Algorithm == HttpSignatureAlgorithm.HmacSha256;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var signed = await Sign(request, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await Verify(response, signed, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<HttpMessageComponents> Sign(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var covered = new List<ComponentIdentifier> { ComponentIdentifier.Method, ComponentIdentifier.TargetUri };
        var fields = new List<KeyValuePair<string, string>>();
        if (body is { Length: > 0 })
        {
            var digest = ContentDigest.Create(body, ContentDigestAlgorithm.Sha256);
            request.Content!.Headers.Remove(ContentDigest.FieldName);
            request.Content.Headers.TryAddWithoutValidation(ContentDigest.FieldName, digest);
            fields.Add(new(ContentDigest.FieldName, digest));
            covered.Add(ComponentIdentifier.Field(ContentDigest.FieldName));
        }

        var message = HttpMessageComponents.ForRequest(request.Method.Method, request.RequestUri!, fields);
        var parameters = _signer.CreateParameters(covered, _options.KeyId!, _options.Key!.Algorithm, _options.Tag, _options.Lifetime);
        var signature = MessageSigner.Sign(message, Label, parameters, _options.Key);
        request.Headers.Remove(SignatureFields.SignatureInput);
        request.Headers.Remove(SignatureFields.Signature);
        request.Headers.TryAddWithoutValidation(SignatureFields.SignatureInput, signature.SignatureInputMember);
        request.Headers.TryAddWithoutValidation(SignatureFields.Signature, signature.SignatureMember);
        return signature.AddTo(message);
    }

    private async Task Verify(HttpResponseMessage response, HttpMessageComponents request, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > _options.MaxResponseBodySize)
        {
            throw Refusal(SignatureReasons.BodyTooLarge, RefusingParty.Client, "The response body is larger than this client checks.");
        }

        await response.Content.LoadIntoBufferAsync(_options.MaxResponseBodySize, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var fields = response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
            .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)));
        var message = HttpMessageComponents.ForResponse((int)response.StatusCode, fields, request);
        // The response key is derived for this response only and zeroed when it is checked.
        using var derived = SymmetricResponse ? HmacResponseKey.Derive(_options.Key!, _options.KeyId!) : null;
        // The expected key follows from the client's own key, never from the response: an hmac-sha256 client expects
        // its own keyid under the derived key, an asymmetric one the pinned server key and keyid.
        var (expectedKeyId, expectedKey) = derived is not null ? (_options.KeyId!, derived) : (_options.ServerKeyId!, _options.ServerKey!);
        var verifier = new MessageVerifier(keyId => keyId == expectedKeyId ? expectedKey : null, _options.TimeProvider);
        var result = verifier.Verify(message, new SignatureVerificationPolicy
        {
            KeyId = expectedKeyId,
            Tag = _options.Tag,
            RequiredComponents = [ComponentIdentifier.Status, ComponentIdentifier.Field(ContentDigest.FieldName), ComponentIdentifier.Field(SignatureFields.Signature).WithKey(Label).OfRequest()],
            RequireCreated = true,
            ClockSkew = _options.ClockSkew,
        });
        if (!result.Succeeded && (int)response.StatusCode is >= 400 and < 500 && result.Failure is SignatureVerificationFailure.MissingSignature or SignatureVerificationFailure.NoMatchingSignature)
        {
            // An unsigned 4xx is the server refusing this request before it was accepted (401: the signature; 413: the body).
            throw Refusal(SignatureReasons.RefusedByServer, RefusingParty.Server, response.StatusCode == HttpStatusCode.Unauthorized
                ? "The server refused this client's request signature (401)."
                : $"The server refused the request before accepting it ({(int)response.StatusCode} {response.ReasonPhrase}).");
        }

        if (!result.Succeeded)
        {
            throw Refusal(
                result.Failure is SignatureVerificationFailure.MissingSignature or SignatureVerificationFailure.NoMatchingSignature ? SignatureReasons.MissingSignature : SignatureReasons.InvalidSignature,
                RefusingParty.Client,
                $"The server's response signature was refused ({result.Failure}), status {(int)response.StatusCode}: response discarded.");
        }

        if (ContentDigest.Verify(message.FieldLines(ContentDigest.FieldName), body) is var digest && digest != ContentDigestResult.Valid)
        {
            throw Refusal(new ReasonCode(ContentDigest.ReasonCode(digest)), RefusingParty.Client, $"The response body does not match its signed Content-Digest ({digest}): response discarded.");
        }
    }

    private static MutualAuthenticationException Refusal(ReasonCode reason, RefusingParty refusedBy, string message) =>
        new(AuthenticationMethods.HttpSignature, reason, refusedBy, message);
}
