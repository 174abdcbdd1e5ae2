using MutualAuth.MessageSignatures;

namespace MutualAuth.Http;

/// <summary>How <see cref="HttpSignatureHandler"/> signs requests and which key it expects on responses (RFC 9421).</summary>
public sealed class HttpSignatureClientOptions
{
    /// <summary>The client's <c>keyid</c>. Required.</summary>
    public string? KeyId { get; set; }

    /// <summary>
    /// The client's signing key (required). An <c>hmac-sha256</c> key also checks responses, with a key derived from its
    /// secret; an asymmetric key expects <see cref="ServerKey"/> on responses.
    /// </summary>
    public HttpSignatureKey? Key { get; set; }

    /// <summary>The server's pinned response-signing <c>keyid</c>. Required with an asymmetric <see cref="Key"/>; not used with an <c>hmac-sha256</c> one.</summary>
    public string? ServerKeyId { get; set; }

    /// <summary>The server's pinned response-signing public key. Required with an asymmetric <see cref="Key"/>; not used with an <c>hmac-sha256</c> one.</summary>
    public HttpSignatureKey? ServerKey { get; set; }

    /// <summary>The <c>tag</c> of request and response signatures.</summary>
    public string Tag { get; set; } = MutualSignatureNames.Tag;

    /// <summary>How long a request signature is valid (<c>expires − created</c>).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Clock difference tolerated on the response's <c>created</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest response body read to check its Content-Digest; larger responses are refused.</summary>
    public int MaxResponseBodySize { get; set; } = 16 * 1024 * 1024;

    /// <summary>The clock for <c>created</c>, <c>expires</c> and the response's age.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks required settings.</summary>
    /// <exception cref="InvalidOperationException">A required setting is missing, or an <c>hmac-sha256</c> key whose response key cannot be derived (not made by <see cref="HttpSignatureKey.Hmac"/>).</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(KeyId) || Key is not { CanSign: true })
        {
            throw new InvalidOperationException("HTTP signatures need the client's keyid and signing key.");
        }

        if (Key.Algorithm == HttpSignatureAlgorithm.HmacSha256)
        {
            if (!HmacResponseKey.CanDerive(Key))
            {
                throw new InvalidOperationException("An hmac-sha256 client key must be made by HttpSignatureKey.Hmac: responses are checked with a key derived from its secret.");
            }
        }
        else if (string.IsNullOrEmpty(ServerKeyId) || ServerKey is null)
        {
            throw new InvalidOperationException("HTTP signatures with an asymmetric client key need the server's pinned keyid and key.");
        }

        if (Lifetime <= TimeSpan.Zero || Lifetime > TimeSpan.FromMinutes(5))
        {
            throw new InvalidOperationException("The signature lifetime must be between 0 and 5 minutes (the server's limit).");
        }
    }
}
