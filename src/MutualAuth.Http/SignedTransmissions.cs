using MutualAuth.MessageSignatures;

namespace MutualAuth.Http;

/// <summary>
/// The signatures of one call to <see cref="HttpSignatureHandler"/>: each transmission is signed afresh, and the response
/// that ends the call is verified against the signature of the last one (the request it answers, through <c>;req</c>).
/// </summary>
internal sealed class SignedTransmissions(Func<HttpRequestMessage, CancellationToken, Task<(HttpMessageComponents Signed, string Label, string Input, string Signature)>> sign)
{
    /// <summary>Where the call's transmissions travel with the request (copies made by our handlers keep their options).</summary>
    public static readonly HttpRequestOptionsKey<SignedTransmissions> Key = new("MutualAuth.SignedTransmissions");

    private readonly Lock _lock = new();
    private (HttpRequestMessage Request, HttpMessageComponents Signed, string Label, string Input, string Signature)? _last;

    /// <summary>The signed components and label of the last transmission, or null when none was signed.</summary>
    public (HttpMessageComponents Signed, string Label)? Last
    {
        get
        {
            lock (_lock)
            {
                return _last is { } last ? (last.Signed, last.Label) : null;
            }
        }
    }

    /// <summary>Signs <paramref name="request"/> for this transmission, replacing the signature this call put on it before (a resent instance).</summary>
    public async Task SignAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        (HttpRequestMessage Request, HttpMessageComponents, string, string Input, string Signature)? previous;
        lock (_lock)
        {
            previous = _last;
        }

        if (previous is { } before && ReferenceEquals(before.Request, request))
        {
            // Only our own members go; any other party's signature on the request stays.
            RemoveValue(request, SignatureFields.SignatureInput, before.Input);
            RemoveValue(request, SignatureFields.Signature, before.Signature);
        }

        var (signed, label, input, signature) = await sign(request, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _last = (request, signed, label, input, signature);
        }
    }

    private static void RemoveValue(HttpRequestMessage request, string name, string value)
    {
        if (!request.Headers.NonValidated.TryGetValues(name, out var values))
        {
            return;
        }

        var kept = values.ToList();
        kept.Remove(value);
        request.Headers.Remove(name);
        foreach (var other in kept)
        {
            request.Headers.TryAddWithoutValidation(name, other);
        }
    }
}
