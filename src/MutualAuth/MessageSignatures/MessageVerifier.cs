using System.Text;

namespace MutualAuth.MessageSignatures;

/// <summary>
/// Verifies RFC 9421 message signatures under a <see cref="SignatureVerificationPolicy"/>, resolving keys by <c>keyid</c>
/// through the caller; refusals are results with a code, and the nonce is returned for the caller's replay cache.
/// </summary>
public sealed class MessageVerifier
{
    private readonly Func<string, CancellationToken, ValueTask<HttpSignatureKey?>> _resolveKey;
    private readonly TimeProvider _time;

    /// <summary>Creates a verifier with a synchronous key lookup.</summary>
    /// <param name="resolveKey">Returns the key registered under a keyid (with its algorithm), or null when unknown or revoked.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    public MessageVerifier(Func<string, HttpSignatureKey?> resolveKey, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(resolveKey);
        _resolveKey = (keyId, _) => ValueTask.FromResult(resolveKey(keyId));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Creates a verifier with an asynchronous key lookup (a store).</summary>
    /// <param name="resolveKey">Returns the key registered under a keyid, or null when unknown or revoked.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    public MessageVerifier(Func<string, CancellationToken, ValueTask<HttpSignatureKey?>> resolveKey, TimeProvider? timeProvider = null)
    {
        _resolveKey = resolveKey ?? throw new ArgumentNullException(nameof(resolveKey));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Verifies <paramref name="message"/>; with an asynchronous key lookup this blocks on it.</summary>
    /// <exception cref="ArgumentException">The policy is invalid (<see cref="SignatureVerificationPolicy.Validate"/>).</exception>
    public SignatureVerificationResult Verify(HttpMessageComponents message, SignatureVerificationPolicy policy) =>
        VerifyAsync(message, policy, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>Verifies <paramref name="message"/>.</summary>
    /// <exception cref="ArgumentException">The policy is invalid (<see cref="SignatureVerificationPolicy.Validate"/>).</exception>
    public async ValueTask<SignatureVerificationResult> VerifyAsync(HttpMessageComponents message, SignatureVerificationPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();

        var inputLines = message.FieldLines(SignatureFields.SignatureInput);
        var signatureLines = message.FieldLines(SignatureFields.Signature);
        if (inputLines is null || signatureLines is null)
        {
            return new(SignatureVerificationFailure.MissingSignature);
        }

        IReadOnlyList<KeyValuePair<string, SignatureParameters>> inputs;
        IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> signatures;
        try
        {
            inputs = SignatureFields.ParseSignatureInput(inputLines);
            signatures = SignatureFields.ParseSignature(signatureLines);
        }
        catch (MessageSignatureException)
        {
            return new(SignatureVerificationFailure.MalformedSignatureFields);
        }

        var candidates = inputs.Where(i =>
            (policy.Label is null || i.Key == policy.Label)
            && (policy.Tag is null || i.Value.Tag == policy.Tag)
            && (policy.KeyId is null || i.Value.KeyId == policy.KeyId)).ToList();
        if (candidates.Count != 1)
        {
            return new(candidates.Count == 0 ? SignatureVerificationFailure.NoMatchingSignature : SignatureVerificationFailure.AmbiguousSignature);
        }

        var (label, parameters) = candidates[0];
        var failure = CheckParameters(parameters, policy);
        if (failure != SignatureVerificationFailure.None)
        {
            return new(failure, label, parameters);
        }

        var signature = signatures.Where(s => s.Key == label).Select(s => (ReadOnlyMemory<byte>?)s.Value).FirstOrDefault();
        if (signature is null)
        {
            return new(SignatureVerificationFailure.SignatureValueMissing, label, parameters);
        }

        var key = await _resolveKey(parameters.KeyId!, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return new(SignatureVerificationFailure.UnknownKey, label, parameters);
        }

        if (parameters.Algorithm is { } alg && alg != HttpSignatureAlgorithms.Name(key.Algorithm))
        {
            return new(SignatureVerificationFailure.AlgorithmMismatch, label, parameters);
        }

        string signatureBase;
        try
        {
            signatureBase = SignatureBase.Create(message, parameters, policy.FieldTypes);
        }
        catch (MessageSignatureException e)
        {
            var code = e.Error switch
            {
                MessageSignatureError.DuplicateComponent => SignatureVerificationFailure.DuplicateComponent,
                MessageSignatureError.MissingComponent => SignatureVerificationFailure.MissingComponent,
                _ => SignatureVerificationFailure.InvalidSignatureBase,
            };
            return new(code, label, parameters);
        }

        return key.Verify(Encoding.ASCII.GetBytes(signatureBase), signature.Value.Span)
            ? new(SignatureVerificationFailure.None, label, parameters, key)
            : new(SignatureVerificationFailure.BadSignature, label, parameters);
    }

    private SignatureVerificationFailure CheckParameters(SignatureParameters parameters, SignatureVerificationPolicy policy)
    {
        if (parameters.KeyId is null)
        {
            return SignatureVerificationFailure.MissingKeyId;
        }

        if (policy.RequiredComponents.Any(required => !parameters.Components.Contains(required)))
        {
            return SignatureVerificationFailure.MissingRequiredComponent;
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var skew = (long)policy.ClockSkew.TotalSeconds;
        if (parameters.Created is { } created)
        {
            if (created > now + skew)
            {
                return SignatureVerificationFailure.CreatedInFuture;
            }

            if (created < now - (long)policy.MaxAge.TotalSeconds - skew)
            {
                return SignatureVerificationFailure.TooOld;
            }
        }
        else if (policy.RequireCreated)
        {
            return SignatureVerificationFailure.MissingCreated;
        }

        if (parameters.Expires is { } expires)
        {
            if (expires < now - skew)
            {
                return SignatureVerificationFailure.Expired;
            }
        }
        else if (policy.RequireExpires)
        {
            return SignatureVerificationFailure.MissingExpires;
        }

        return parameters.Nonce is null && policy.RequireNonce ? SignatureVerificationFailure.MissingNonce : SignatureVerificationFailure.None;
    }
}
