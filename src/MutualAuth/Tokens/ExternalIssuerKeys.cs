using System.Text.Json;
using MutualAuth.Authentication;

namespace MutualAuth.Tokens;

/// <summary>
/// The verification keys of an external authorization server: its RFC 8414 metadata (else OpenID Connect discovery),
/// whose <c>issuer</c> must be exactly the configured one (RFC 8414 §3.3), then its <c>jwks_uri</c> (https). Cached; read
/// again when older than <see cref="MaxAge"/> or for a <c>kid</c> it does not hold, at most once per
/// <see cref="MinRefreshInterval"/> whatever tokens arrive, one read at a time. Keys come only from these documents,
/// never from a URL a token names (<c>jku</c>/<c>x5u</c> are refused by <see cref="CompactJws"/>).
/// </summary>
/// <param name="issuer">The issuer identifier, as configured.</param>
/// <param name="fetch">Reads an https URL over TLS verified as configured: the body of a 200 answer, at most <see cref="MaxDocumentBytes"/>; null on any failure.</param>
/// <param name="time">The clock.</param>
internal sealed class ExternalIssuerKeys(string issuer, Func<Uri, CancellationToken, ValueTask<byte[]?>> fetch, TimeProvider time) : IDisposable
{
    /// <summary>The largest metadata or JWKS document read.</summary>
    public const int MaxDocumentBytes = 64 * 1024;

    private const int MaxKeys = 16;
    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 8, AllowDuplicateProperties = false };
    private readonly SemaphoreSlim _reading = new(1, 1);
    // One immutable snapshot, swapped whole: requests read it without the lock.
    private volatile State _state = new([], DateTimeOffset.MinValue, DateTimeOffset.MinValue);

    /// <summary>The issuer identifier.</summary>
    public string Issuer => issuer;

    /// <summary>Keys are read again after this long even when every <c>kid</c> is known.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The least time between two reads (bounds the work tokens with unknown <c>kid</c>s can cause).</summary>
    public TimeSpan MinRefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Called with the reason and a detail when a read fails (the keys read before stay in use).</summary>
    public Action<ReasonCode, string>? ReadFailed { get; init; }

    /// <summary>As a <see cref="TrustedIssuer"/>.</summary>
    public TrustedIssuer AsTrustedIssuer() => new(issuer, KeysAsync);

    /// <summary>The keys to verify a token naming <paramref name="keyId"/> with; empty when none could ever be read.</summary>
    public async ValueTask<IReadOnlyList<PublicJwk>> KeysAsync(string? keyId, CancellationToken cancellationToken)
    {
        if (!Due(keyId))
        {
            return _state.Keys;
        }

        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Whoever waited finds the keys the first one read.
            if (Due(keyId))
            {
                var now = time.GetUtcNow();
                _state = _state with { TriedAt = now };
                if (await ReadAsync(cancellationToken).ConfigureAwait(false) is { } keys)
                {
                    _state = new State(keys, now, now);
                }
            }
        }
        finally
        {
            _reading.Release();
        }

        return _state.Keys;
    }

    public void Dispose() => _reading.Dispose();

    private bool Due(string? keyId)
    {
        var state = _state;
        var now = time.GetUtcNow();
        var wanted = now - state.ReadAt > MaxAge || (keyId is not null && !state.Keys.Any(k => k.KeyId == keyId));
        return wanted && now - state.TriedAt >= MinRefreshInterval;
    }

    private sealed record State(IReadOnlyList<PublicJwk> Keys, DateTimeOffset ReadAt, DateTimeOffset TriedAt);

    private async Task<IReadOnlyList<PublicJwk>?> ReadAsync(CancellationToken cancellationToken)
    {
        Uri? jwksUri = null;
        foreach (var metadataUrl in MetadataUrls(issuer))
        {
            if (await fetch(metadataUrl, cancellationToken).ConfigureAwait(false) is { } metadata)
            {
                jwksUri = JwksUri(metadata, issuer, out var problem);
                if (jwksUri is null)
                {
                    ReadFailed?.Invoke(TokenReasons.IssuerUnavailable, $"the metadata at {metadataUrl} {problem}");
                    return null;
                }

                break;
            }
        }

        if (jwksUri is null)
        {
            ReadFailed?.Invoke(TokenReasons.IssuerUnavailable, "no metadata could be read (RFC 8414, then OpenID Connect discovery)");
            return null;
        }

        var keys = await fetch(jwksUri, cancellationToken).ConfigureAwait(false) is { } jwks ? ParseJwks(jwks) : null;
        if (keys is null)
        {
            ReadFailed?.Invoke(TokenReasons.IssuerUnavailable, $"the JWKS at {jwksUri} could not be read or is not a set of public signing keys");
        }

        return keys;
    }

    /// <summary>RFC 8414 §3.1 (the well-known segment inserted before the issuer's path), then OpenID Connect Discovery §4 (appended).</summary>
    public static IReadOnlyList<Uri> MetadataUrls(string issuer)
    {
        var url = new Uri(issuer);
        var path = url.AbsolutePath.TrimEnd('/');
        var origin = url.GetLeftPart(UriPartial.Authority);
        return [new Uri(origin + "/.well-known/oauth-authorization-server" + path), new Uri(origin + path + "/.well-known/openid-configuration")];
    }

    /// <summary>The metadata's https <c>jwks_uri</c> when its <c>issuer</c> is exactly <paramref name="issuer"/>; else null and why.</summary>
    public static Uri? JwksUri(byte[] metadata, string issuer, out string problem)
    {
        problem = "is not a JSON object within the size limit";
        if (metadata.Length > MaxDocumentBytes)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(metadata, Strict);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            // RFC 8414 §3.3: a document naming another issuer is not this issuer's, whoever served it.
            if (!root.TryGetProperty("issuer", out var named) || named.ValueKind != JsonValueKind.String || named.GetString() != issuer)
            {
                problem = "names another issuer";
                return null;
            }

            problem = "has no https jwks_uri";
            return root.TryGetProperty("jwks_uri", out var jwks) && jwks.ValueKind == JsonValueKind.String
                && Uri.TryCreate(jwks.GetString(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.UserInfo.Length == 0
                ? uri
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The signing keys of a JWKS document: keys for encryption (<c>use</c> other than <c>sig</c>) and of types we do not
    /// verify with are skipped; a key with private members makes the whole document refused.
    /// </summary>
    public static IReadOnlyList<PublicJwk>? ParseJwks(byte[] jwks)
    {
        if (jwks.Length > MaxDocumentBytes)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(jwks, Strict);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("keys", out var keys)
                || keys.ValueKind != JsonValueKind.Array || keys.GetArrayLength() > MaxKeys)
            {
                return null;
            }

            var result = new List<PublicJwk>();
            foreach (var key in keys.EnumerateArray())
            {
                if (key.ValueKind == JsonValueKind.Object && key.TryGetProperty("use", out var use) && use.ValueKind == JsonValueKind.String && use.GetString() != "sig")
                {
                    continue;
                }

                var parsed = PublicJwk.Parse(key);
                if (parsed.Reason == TokenReasons.PrivateJwk)
                {
                    return null;
                }

                if (parsed.IsValid)
                {
                    result.Add(parsed.Value!);
                }
            }

            return result.Count > 0 ? result : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
