using Microsoft.AspNetCore.Http;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.AspNetCore.MessageSignatures;
using MutualAuth.Authentication;
using MutualAuth.MessageSignatures;
using MutualAuth.Tokens;

namespace MutualAuth.AspNetCore.Tokens;

/// <summary>
/// Signs the response to a request authenticated by an access token (FAPI 2.0 HTTP signatures, tag
/// <c>fapi-2-response</c>) with the authorization server's current key, published in its JWKS; see docs/tokens.md.
/// </summary>
/// <param name="signingKey">The key that signs now and its <c>kid</c> in the JWKS.</param>
/// <param name="time">The clock for <c>created</c>.</param>
internal sealed class AccessTokenResponseSignatureMiddleware(Func<(string KeyId, HttpSignatureKey Key)> signingKey, TimeProvider time)
{
    /// <summary>The largest response body signed; a larger one ends the request with 502 rather than go out unsigned.</summary>
    public int MaxBodySize { get; init; } = 16 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetMutualIdentity() is not { Method: AuthenticationMethods.Token })
        {
            await next(context);
            return;
        }

        var request = HttpRequestComponents.From(context.Request);
        var covered = FapiResponseSignature.Components(dpop: request.FieldLines(TokenNames.DpopHeader) is not null);
        await ResponseSignatureMiddleware.SignAsync(context, next, MaxBodySize, message =>
        {
            var (keyId, key) = signingKey();
            using (key)
            {
                var parameters = new MessageSigner(time).CreateParameters(covered, keyId, key.Algorithm, FapiResponseSignature.Tag, lifetime: null, nonce: false);
                return MessageSigner.Sign(message, FapiResponseSignature.Label, parameters, key);
            }
        }, request);
    }
}
