using System.Collections.Frozen;
using System.Net;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using MutualAuth.Authentication;
using MutualAuth.MessageSignatures;
using MutualAuth.Tokens;

namespace MutualAuth.Http;

/// <summary>
/// Checks the resource's <c>fapi-2-response</c> signature (docs/tokens.md) against the authorization server's keys,
/// read from its JWKS over the same verified TLS as its metadata: the answer must come from a key the issuer publishes
/// and belong to exactly the request that carried the token.
/// </summary>
internal sealed class FapiResponseVerifier(IReadOnlyDictionary<string, HttpSignatureKey> keys, TimeProvider time)
{
    /// <summary>The largest response body checked (the resource's own signing limit).</summary>
    public const int MaxBodySize = 16 * 1024 * 1024;

    /// <summary>The verification keys of a JWKS document, by <c>kid</c>: EC and RSA keys; others cannot sign responses.</summary>
    public static FapiResponseVerifier FromJwks(JsonElement jwks, TimeProvider time)
    {
        var keys = new Dictionary<string, HttpSignatureKey>(StringComparer.Ordinal);
        if (jwks.ValueKind == JsonValueKind.Object && jwks.TryGetProperty("keys", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in list.EnumerateArray().Take(32))
            {
                if (PublicJwk.Parse(element) is { IsValid: true, Value: { KeyId: { } kid } jwk } && !keys.ContainsKey(kid)
                    && jwk.Key switch { ECDsaSecurityKey ec => HttpSignatureKey.FromEcdsa(ec.ECDsa), RsaSecurityKey { Rsa: { } rsa } => HttpSignatureKey.FromRsa(rsa, HttpSignatureAlgorithm.RsaPssSha512), _ => null } is { } key)
                {
                    keys[kid] = key;
                }
            }
        }

        return new FapiResponseVerifier(keys.ToFrozenDictionary(StringComparer.Ordinal), time);
    }

    /// <summary>Throws unless <paramref name="response"/> is signed for <paramref name="request"/> by a published key.</summary>
    public async Task VerifyAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxBodySize)
        {
            throw Refused(TokenReasons.InvalidResponseSignature, RefusingParty.Client, "The resource's response is larger than this client checks.");
        }

        await response.Content.LoadIntoBufferAsync(MaxBodySize, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var sent = HttpMessageComponents.ForRequest(request.Method.Method, request.RequestUri!, Lines(request.Headers.NonValidated));
        var message = HttpMessageComponents.ForResponse((int)response.StatusCode, Lines(response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)), sent);
        var result = new MessageVerifier(keyId => keys.GetValueOrDefault(keyId), time).Verify(message, new SignatureVerificationPolicy
        {
            Tag = FapiResponseSignature.Tag,
            RequiredComponents = FapiResponseSignature.Components(dpop: sent.FieldLines(TokenNames.DpopHeader) is not null),
            RequireCreated = true,
        });
        var unsigned = result.Failure is SignatureVerificationFailure.MissingSignature or SignatureVerificationFailure.NoMatchingSignature;
        if (unsigned && response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // The resource refused the token before accepting the request: nothing it says can be trusted beyond that.
            throw new MutualAuthenticationException(AuthenticationMethods.Token, TokenReasons.RefusedByResource, RefusingParty.Server,
                $"The resource refused this client's token ({(int)response.StatusCode}).")
            {
                StatusCode = (int)response.StatusCode,
            };
        }

        if (!result.Succeeded)
        {
            var reason = unsigned ? TokenReasons.UnsignedResponse
                : result.Failure == SignatureVerificationFailure.UnknownKey ? TokenReasons.UnknownResponseKey
                : TokenReasons.InvalidResponseSignature;
            throw Refused(reason, RefusingParty.Client, $"The resource's response signature was refused ({result.Failure}), status {(int)response.StatusCode}: response discarded.");
        }

        if (ContentDigest.Verify(message.FieldLines(ContentDigest.FieldName), body) is var digest && digest != ContentDigestResult.Valid)
        {
            throw Refused(TokenReasons.InvalidResponseSignature, RefusingParty.Client, $"The resource's response body does not match its signed Content-Digest ({digest}): response discarded.");
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Lines(IEnumerable<KeyValuePair<string, System.Net.Http.Headers.HeaderStringValues>> headers) =>
        headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)));

    private static MutualAuthenticationException Refused(ReasonCode reason, RefusingParty party, string message) =>
        new(AuthenticationMethods.Token, reason, party, message);
}
