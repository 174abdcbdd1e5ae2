using MutualAuth.MessageSignatures;

namespace MutualAuth.Tokens;

/// <summary>
/// The resource's response signature as the FAPI 2.0 HTTP signatures profile describes it: what both sides sign and
/// require (docs/tokens.md).
/// </summary>
internal static class FapiResponseSignature
{
    /// <summary>The <c>tag</c> of the resource's response signatures.</summary>
    public const string Tag = "fapi-2-response";

    /// <summary>The signature's label.</summary>
    public const string Label = MutualSignatureNames.Label;

    /// <summary>
    /// <c>@status</c>, <c>content-digest</c>, and the request's <c>@method</c>, <c>@target-uri</c>, <c>authorization</c>
    /// and (when the request had one) <c>dpop</c>: the answer belongs to exactly the request that carried the token.
    /// </summary>
    public static IReadOnlyList<ComponentIdentifier> Components(bool dpop) =>
    [
        ComponentIdentifier.Status,
        ComponentIdentifier.Field(ContentDigest.FieldName),
        ComponentIdentifier.Method.OfRequest(),
        ComponentIdentifier.TargetUri.OfRequest(),
        ComponentIdentifier.Field("authorization").OfRequest(),
        .. dpop ? [ComponentIdentifier.Field("dpop").OfRequest()] : Array.Empty<ComponentIdentifier>(),
    ];
}
