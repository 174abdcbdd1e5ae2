using System.Net;
using MutualAuth.Authentication;
using MutualAuth.MessageSignatures;

namespace MutualAuth.Http;

/// <summary>
/// Signs each request with the client's key (RFC 9421 mutual API keys) under the first free label (<c>sig1</c>, <c>sig2</c>…),
/// keeping signatures already on it, and returns the response only when the server's signature over it, bound to this
/// request through <c>;req</c>, verifies with the expected key (docs/signatures.md).
/// </summary>
public sealed class HttpSignatureHandler : DelegatingHandler
{
    private readonly HttpSignatureClientOptions _options;
    private readonly MessageSigner _signer;
    private bool? _signsOnSend;

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
        // With a SignOnSendHandler below (MutualAuthHandlers.Create, AddMutualTls), every transmission is signed there, so
        // a handler in between that sends several requests (SCRAM's round trips, a retry) never resends a used nonce.
        _signsOnSend ??= SignOnSendHandler.IsBelow(this);
        var transmissions = new SignedTransmissions(Sign);
        if (_signsOnSend == true)
        {
            request.Options.Set(SignedTransmissions.Key, transmissions);
        }
        else
        {
            await transmissions.SignAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            // The response that ends the call answers the last transmission; a handler that sent a copy without this
            // request's options sent it unsigned, and nothing can bind the response to a signature of ours.
            var (signed, label) = transmissions.Last ?? throw Refusal(SignatureReasons.MissingSignature, RefusingParty.Client,
                "The request went out without this client's signature (a handler copied it without its options): response discarded.");
            await Verify(response, signed, label, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<(HttpMessageComponents Signed, string Label, string Input, string Signature)> Sign(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var label = FreeLabel(request);
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
        var signature = MessageSigner.Sign(message, label, parameters, _options.Key);
        // Added beside any signature already there (a proxy's, another party's): those are never removed.
        request.Headers.TryAddWithoutValidation(SignatureFields.SignatureInput, signature.SignatureInputMember);
        request.Headers.TryAddWithoutValidation(SignatureFields.Signature, signature.SignatureMember);
        return (signature.AddTo(message), label, signature.SignatureInputMember, signature.SignatureMember);
    }

    /// <summary><c>sig1</c>, or the first <c>sigN</c> that no signature already on the request uses in either field.</summary>
    /// <exception cref="MutualAuthenticationException">The signature fields already on the request cannot be read (no label can be chosen safely).</exception>
    private static string FreeLabel(HttpRequestMessage request)
    {
        static IEnumerable<string> Lines(HttpRequestMessage request, string name) =>
            request.Headers.NonValidated.TryGetValues(name, out var values) ? values : [];

        HashSet<string> taken;
        try
        {
            taken = [.. SignatureFields.ParseSignatureInput(Lines(request, SignatureFields.SignatureInput)).Select(m => m.Key),
                .. SignatureFields.ParseSignature(Lines(request, SignatureFields.Signature)).Select(m => m.Key)];
        }
        catch (MessageSignatureException e)
        {
            throw new MutualAuthenticationException(AuthenticationMethods.HttpSignature, SignatureReasons.MalformedSignatureFields, RefusingParty.Client,
                "The request already carries Signature-Input/Signature fields that are not valid RFC 9421 Dictionaries; not signed, not sent.", e);
        }

        var label = MutualSignatureNames.Label;
        for (var n = 2; taken.Contains(label); n++)
        {
            label = "sig" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return label;
    }

    private async Task Verify(HttpResponseMessage response, HttpMessageComponents request, string label, CancellationToken cancellationToken)
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
            RequiredComponents = [ComponentIdentifier.Status, ComponentIdentifier.Field(ContentDigest.FieldName), ComponentIdentifier.Field(SignatureFields.Signature).WithKey(label).OfRequest()],
            RequireCreated = true,
            ClockSkew = _options.ClockSkew,
        });
        if (!result.Succeeded && (int)response.StatusCode is (>= 400 and < 500) or 503 && result.Failure is SignatureVerificationFailure.MissingSignature or SignatureVerificationFailure.NoMatchingSignature)
        {
            // An unsigned 4xx is the server refusing this request before it was accepted (401: the signature; 413: the
            // body); an unsigned 503 is the server unable to decide (its store is away): nothing was accepted either way.
            throw new MutualAuthenticationException(AuthenticationMethods.HttpSignature, SignatureReasons.RefusedByServer, RefusingParty.Server, response.StatusCode == HttpStatusCode.Unauthorized
                ? "The server refused this client's request signature (401)."
                : $"The server refused the request before accepting it ({(int)response.StatusCode} {response.ReasonPhrase}).")
            {
                StatusCode = (int)response.StatusCode,
                RetryAfter = response.Headers.RetryAfter?.Delta,
            };
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
