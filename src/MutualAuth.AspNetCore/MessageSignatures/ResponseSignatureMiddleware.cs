using Microsoft.AspNetCore.Http;
using MutualAuth.MessageSignatures;

namespace MutualAuth.AspNetCore.MessageSignatures;

/// <summary>
/// Signs the response to a request authenticated by its signature (RFC 9421 §2.4): <c>Content-Digest</c>,
/// <c>@status</c> and the request's signature (<c>;req</c>); see docs/signatures.md.
/// </summary>
/// <param name="keyId">The server key's <c>keyid</c>.</param>
/// <param name="key">The server's signing key, for clients with asymmetric keys.</param>
/// <param name="time">The clock for <c>created</c>.</param>
public sealed class ResponseSignatureMiddleware(string keyId, HttpSignatureKey key, TimeProvider time)
{
    /// <summary>The largest response body signed; a larger one ends the request with 502 rather than go out unsigned.</summary>
    public int MaxBodySize { get; init; } = 16 * 1024 * 1024;

    /// <summary>Runs <paramref name="next"/> and signs its response when the request was verified by signature.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Items[typeof(VerifiedRequestSignature)] is not VerifiedRequestSignature verified)
        {
            await next(context);
            return;
        }

        await SignAsync(context, next, MaxBodySize, message =>
        {
            using (verified.ResponseKey)
            {
                // HMAC clients: the key derived from their secret, under their keyid; asymmetric clients: the server's key.
                var (signingKeyId, signingKey) = verified.ResponseKey is { } responseKey ? (verified.KeyId, responseKey) : (keyId, key);
                var parameters = new MessageSigner(time).CreateParameters(
                    [ComponentIdentifier.Status, ComponentIdentifier.Field(ContentDigest.FieldName), ComponentIdentifier.Field(SignatureFields.Signature).WithKey(verified.Label).OfRequest()],
                    signingKeyId,
                    signingKey.Algorithm,
                    HttpSignatureDefaults.Tag,
                    lifetime: null,
                    nonce: false);
                return MessageSigner.Sign(message, HttpSignatureDefaults.ResponseLabel, parameters, signingKey);
            }
        }, verified.Request);
    }

    /// <summary>
    /// Runs <paramref name="next"/> with its body buffered, adds <c>Content-Digest</c> and the signature
    /// <paramref name="sign"/> makes over the response (bound to <paramref name="request"/>), then writes the body.
    /// </summary>
    internal static async Task SignAsync(HttpContext context, RequestDelegate next, int maxBodySize, Func<HttpMessageComponents, MessageSignature> sign, HttpMessageComponents request)
    {
        // The client checks that the answer comes from the server and belongs to the request it sent: the body is
        // buffered (at most maxBodySize) to digest it before anything is written.
        var original = context.Response.Body;
        using var buffer = new BoundedBuffer(maxBodySize);
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var response = context.Response;
        if (buffer.Overflowed)
        {
            response.Clear();
            response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        var body = buffer.ToArray();
        response.Headers[ContentDigest.FieldName] = ContentDigest.Create(body, ContentDigestAlgorithm.Sha256);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            response.ContentLength = body.Length; // HEAD keeps the length of the representation it describes
        }

        var fields = new[] { new KeyValuePair<string, string>(ContentDigest.FieldName, response.Headers[ContentDigest.FieldName].ToString()) };
        var signature = sign(HttpMessageComponents.ForResponse(response.StatusCode, fields, request));
        response.Headers[SignatureFields.SignatureInput] = signature.SignatureInputMember;
        response.Headers[SignatureFields.Signature] = signature.SignatureMember;
        await original.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>A write-only memory stream that stops keeping data past its limit.</summary>
    private sealed class BoundedBuffer(int limit) : MemoryStream
    {
        public bool Overflowed { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > limit)
            {
                Overflowed = true;
                return;
            }

            base.Write(buffer, offset, count);
        }

        // MemoryStream's span overload routes a derived type back to Write(byte[], …): copy once, never recurse.
        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
    }
}
