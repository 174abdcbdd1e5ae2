using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using MutualAuth.Authentication;
using MutualAuth.Tokens;

namespace MutualAuth.Http;

/// <summary>
/// Adds a sender-constrained access token to each request: gets it with client credentials (<c>private_key_jwt</c> or
/// the TLS certificate) from an authorization server whose metadata names the configured issuer (RFC 8414 §3.3), caches
/// it, renews it before it expires (one request at a time), and sends a DPoP proof with each request, retrying once
/// when the server asks for a nonce (RFC 9449 §8–9). Every resource response must carry the resource's
/// <c>fapi-2-response</c> signature by a key of the issuer's JWKS, bound to the request sent; others are refused.
/// </summary>
public sealed class OAuthClientCredentialsHandler : DelegatingHandler
{
    private const int MaxResponseBytes = 64 * 1024;
    private readonly OAuthClientCredentialsOptions _options;
    private readonly DpopProofFactory? _dpop;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly ConcurrentDictionary<string, string> _nonces = new(StringComparer.OrdinalIgnoreCase);
    private Uri? _tokenEndpoint;
    private FapiResponseVerifier? _responses;
    private Uri? _jwksUri;
    private DateTimeOffset _jwksRead;
    private (string Token, DateTimeOffset Expires)? _token;
    private ResourceKeys? _resource;

    /// <summary>Creates the handler.</summary>
    /// <exception cref="InvalidOperationException">The options are incomplete.</exception>
    public OAuthClientCredentialsHandler(OAuthClientCredentialsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _dpop = options.DpopKey is null ? null : new DpopProofFactory(options.DpopKey, options.TimeProvider);
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = await TokenAsync(cancellationToken).ConfigureAwait(false);
        if (_dpop is null)
        {
            request.Headers.Authorization = new("Bearer", token);
            return await VerifiedAsync(request, await base.SendAsync(request, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        // The body may be sent twice (nonce retry): buffer it first.
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        request.Headers.Authorization = new(TokenNames.DpopHeader, token);
        for (var attempt = 0; ; attempt++)
        {
            request.Headers.Remove(TokenNames.DpopHeader);
            request.Headers.Add(TokenNames.DpopHeader, _dpop.Create(request.Method.Method, request.RequestUri!, token, Nonce(request.RequestUri!)));
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var nonceAsked = RememberNonce(request.RequestUri!, response)
                && response.StatusCode == HttpStatusCode.Unauthorized
                && response.Headers.WwwAuthenticate.Any(h => h.Scheme.Equals(TokenNames.DpopHeader, StringComparison.OrdinalIgnoreCase)
                    && h.Parameter?.Contains(TokenNames.UseDpopNonce, StringComparison.Ordinal) == true);
            if (!nonceAsked || attempt > 0)
            {
                return await VerifiedAsync(request, response, cancellationToken).ConfigureAwait(false);
            }

            response.Dispose();
        }
    }

    // The response goes back to the caller only once its signature is checked; a refused one is disposed.
    private async Task<HttpResponseMessage> VerifiedAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var origin = request.RequestUri!.GetLeftPart(UriPartial.Authority);
            if (!string.Equals(origin, _options.Issuer!.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            {
                // A resource apart from the issuer (its tokens come from an external authorization server): its own keys.
                await (await ResourceResponsesAsync(origin, cancellationToken).ConfigureAwait(false)).VerifyAsync(request, response, cancellationToken).ConfigureAwait(false);
                return response;
            }

            try
            {
                await _responses!.VerifyAsync(request, response, cancellationToken).ConfigureAwait(false);
            }
            catch (MutualAuthenticationException e) when (e.Reason == TokenReasons.UnknownResponseKey
                && _options.TimeProvider.GetUtcNow() - _jwksRead > TimeSpan.FromMinutes(1))
            {
                // A key the issuer published after we read its JWKS (rotation): read it again, at most once a minute.
                _responses = await ReadJwksAsync(_jwksUri!, cancellationToken).ConfigureAwait(false);
                await _responses.VerifyAsync(request, response, cancellationToken).ConfigureAwait(false);
            }

            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    // RFC 9728: the resource's metadata, read over the verified TLS of the resource itself, must name the resource as
    // asked (§3.3) and the configured issuer among its authorization servers; its jwks_uri holds the response keys.
    private async Task<FapiResponseVerifier> ResourceResponsesAsync(string origin, CancellationToken cancellationToken)
    {
        if (_resource is { } known && known.Origin == origin)
        {
            return known.Responses;
        }

        var issuer = _options.Issuer!.GetLeftPart(UriPartial.Authority) + _options.Issuer.AbsolutePath.TrimEnd('/');
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(origin + "/.well-known/oauth-protected-resource"));
        using var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var metadata = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        var root = metadata?.RootElement;
        if (!response.IsSuccessStatusCode || root is not { ValueKind: JsonValueKind.Object } m
            || !m.TryGetProperty("resource", out var resource) || resource.ValueKind != JsonValueKind.String || resource.GetString() != origin
            || !m.TryGetProperty("authorization_servers", out var servers) || servers.ValueKind != JsonValueKind.Array
            || !servers.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == issuer)
            || !m.TryGetProperty("jwks_uri", out var jwks) || jwks.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(jwks.GetString(), UriKind.Absolute, out var jwksUri) || jwksUri.Scheme != Uri.UriSchemeHttps)
        {
            throw Refused(TokenReasons.UnknownResponseKey, RefusingParty.Client, "The resource's protected resource metadata does not name it, the configured issuer and an https JWKS for its response keys.");
        }

        var verifier = await ReadJwksAsync(jwksUri, cancellationToken).ConfigureAwait(false);
        _resource = new ResourceKeys(origin, verifier);
        return verifier;
    }

    private sealed record ResourceKeys(string Origin, FapiResponseVerifier Responses);

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Single flight: whoever waited finds the token the first one got.
            if (Fresh() is { } fresh)
            {
                return fresh;
            }

            if (_tokenEndpoint is null)
            {
                (_responses, _tokenEndpoint) = await DiscoverAsync(cancellationToken).ConfigureAwait(false);
            }

            var (token, lifetime) = await RequestTokenAsync(_tokenEndpoint, cancellationToken).ConfigureAwait(false);
            _token = (token, _options.TimeProvider.GetUtcNow() + lifetime);
            return token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private string? Fresh() =>
        _token is { } t && t.Expires - _options.TimeProvider.GetUtcNow() > _options.RefreshBefore ? t.Token : null;

    private async Task<(FapiResponseVerifier Responses, Uri TokenEndpoint)> DiscoverAsync(CancellationToken cancellationToken)
    {
        var issuer = _options.Issuer!.GetLeftPart(UriPartial.Authority) + _options.Issuer.AbsolutePath.TrimEnd('/');
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_options.Issuer.GetLeftPart(UriPartial.Authority)
            + "/.well-known/oauth-authorization-server" + _options.Issuer.AbsolutePath.TrimEnd('/')));
        using var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var metadata = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        // RFC 8414 §3.3: the issuer in the metadata must be identical to the one we asked; otherwise it is not our server.
        if (!response.IsSuccessStatusCode || metadata is null
            || !metadata.RootElement.TryGetProperty("issuer", out var named) || named.GetString() != issuer
            || !metadata.RootElement.TryGetProperty("token_endpoint", out var endpoint)
            || !Uri.TryCreate(endpoint.GetString(), UriKind.Absolute, out var tokenEndpoint) || tokenEndpoint.Scheme != Uri.UriSchemeHttps
            || !metadata.RootElement.TryGetProperty("jwks_uri", out var jwks)
            || !Uri.TryCreate(jwks.GetString(), UriKind.Absolute, out var jwksUri) || jwksUri.Scheme != Uri.UriSchemeHttps)
        {
            throw Refused(TokenReasons.WrongIssuer, RefusingParty.Client, "The authorization server's metadata does not name the configured issuer or an https token endpoint and JWKS.");
        }

        _jwksUri = jwksUri;
        return (await ReadJwksAsync(jwksUri, cancellationToken).ConfigureAwait(false), tokenEndpoint);
    }

    // The resource's response keys are the issuer's published keys, read over the same verified TLS as its metadata.
    private async Task<FapiResponseVerifier> ReadJwksAsync(Uri jwksUri, CancellationToken cancellationToken)
    {
        _jwksRead = _options.TimeProvider.GetUtcNow();
        using var keysRequest = new HttpRequestMessage(HttpMethod.Get, jwksUri);
        using var keysResponse = await base.SendAsync(keysRequest, cancellationToken).ConfigureAwait(false);
        using var keys = await ReadJsonAsync(keysResponse, cancellationToken).ConfigureAwait(false);
        if (!keysResponse.IsSuccessStatusCode || keys is null)
        {
            throw Refused(TokenReasons.InvalidJwk, RefusingParty.Client, "The authorization server's JWKS could not be read.");
        }

        return FapiResponseVerifier.FromJwks(keys.RootElement, _options.TimeProvider);
    }

    private async Task<(string Token, TimeSpan Lifetime)> RequestTokenAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var form = new Dictionary<string, string> { ["grant_type"] = TokenNames.ClientCredentialsGrant };
            if (_options.Scope is { } scope)
            {
                form["scope"] = scope;
            }

            if (_options.ClientKey is { } key)
            {
                form["client_assertion_type"] = TokenNames.JwtBearerAssertionType;
                form["client_assertion"] = ClientAssertion.Create(key, _options.ClientKeyId, _options.ClientId!, _options.Issuer!.GetLeftPart(UriPartial.Authority) + _options.Issuer.AbsolutePath.TrimEnd('/'), _options.TimeProvider);
            }
            else
            {
                form["client_id"] = _options.ClientId!;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
            if (_dpop is not null)
            {
                request.Headers.Add(TokenNames.DpopHeader, _dpop.Create("POST", endpoint, nonce: Nonce(endpoint)));
            }

            using var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var newNonce = RememberNonce(endpoint, response);
            using var body = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
            var error = body?.RootElement.TryGetProperty("error", out var e) == true ? e.GetString() : null;
            if (error == TokenNames.UseDpopNonce && newNonce && attempt == 0)
            {
                continue;
            }

            if (!response.IsSuccessStatusCode || body is null
                || !body.RootElement.TryGetProperty("access_token", out var token) || token.GetString() is not { Length: > 0 } accessToken)
            {
                throw Refused(TokenReasons.InvalidRequest, RefusingParty.Server, $"The authorization server refused the token request ({error ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
            }

            // A DPoP-bound token must say so (RFC 9449 §5): a bearer token from a server that ignored the proof is refused.
            var type = body.RootElement.TryGetProperty("token_type", out var t) ? t.GetString() : null;
            if (_dpop is not null && !string.Equals(type, TokenNames.DpopHeader, StringComparison.OrdinalIgnoreCase))
            {
                throw Refused(TokenReasons.UnboundToken, RefusingParty.Client, "The authorization server issued a token not bound to the DPoP key.");
            }

            var seconds = body.RootElement.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var s) ? Math.Clamp(s, 1, 86400) : 60;
            return (accessToken, TimeSpan.FromSeconds(seconds));
        }
    }

    private string? Nonce(Uri uri) => _nonces.GetValueOrDefault(uri.GetLeftPart(UriPartial.Authority));

    // True when the response carried a nonce different from the one we had.
    private bool RememberNonce(Uri uri, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(TokenNames.DpopNonceHeader, out var values) || values.FirstOrDefault() is not { Length: > 0 and <= 256 } nonce)
        {
            return false;
        }

        var origin = uri.GetLeftPart(UriPartial.Authority);
        var changed = _nonces.GetValueOrDefault(origin) != nonce;
        _nonces[origin] = nonce;
        return changed;
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            return null;
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return bytes.Length is > 0 and <= MaxResponseBytes ? JsonDocument.Parse(bytes) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static MutualAuthenticationException Refused(ReasonCode reason, RefusingParty party, string message) =>
        new(AuthenticationMethods.Token, reason, party, message);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _refresh.Dispose();
        }

        base.Dispose(disposing);
    }
}
