using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MutualAuth.Authentication;
using MutualAuth.Scram;

namespace MutualAuth.Http;

/// <summary>
/// Logs in with SCRAM over HTTP (RFC 7804) and returns a response only when the server proved it holds the user's
/// verifier (ServerSignature), or under a session cookie such a proof opened.
/// </summary>
/// <exception cref="MutualAuthenticationException">From <c>SendAsync</c>: the server refused the login, or did not prove itself.</exception>
public sealed class ScramHttpHandler : DelegatingHandler
{
    private readonly ScramClientOptions _options;
    private readonly Func<Uri, X509Certificate2?>? _serverCertificate;
    private readonly ConcurrentDictionary<string, string> _sessions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the handler.</summary>
    /// <param name="options">Validated options.</param>
    /// <exception cref="InvalidOperationException">The options are incomplete.</exception>
    public ScramHttpHandler(ScramClientOptions options)
        : this(options, null)
    {
    }

    /// <summary>Creates the handler; without <see cref="ScramClientOptions.ServerCertificate"/>, -PLUS binds to the certificates in <paramref name="verified"/>.</summary>
    internal ScramHttpHandler(ScramClientOptions options, VerifiedServerCertificates? verified)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _serverCertificate = options.ServerCertificate ?? (verified is null ? null : verified.Find);
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The body is buffered because each step repeats the request. It goes out before the server's proof, which
        // arrives with the final response (RFC 7804); TLS server authentication protects it until then.
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var origin = request.RequestUri!.GetLeftPart(UriPartial.Authority);
        var session = _options.UseSessions && _sessions.TryGetValue(origin, out var cookie) ? cookie : null;
        var response = await base.SendAsync(Copy(request, body, null, session), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized && Challenges(response) is { Count: > 0 } challenges)
        {
            _sessions.TryRemove(origin, out _);
            response.Dispose();
            return await LogInAsync(request, body, origin, challenges, cancellationToken).ConfigureAwait(false);
        }

        // A session response relies on the proof that opened the session and on TLS server authentication;
        // UseSessions = false gives a proof per request.
        if (session is not null)
        {
            return response; // Served under a session the server issued after a verified exchange.
        }

        // Neither a SCRAM challenge nor a session: nothing proves this server holds the verifier.
        var status = (int)response.StatusCode;
        response.Dispose();
        throw Failure(ScramError.InvalidServerSignature, serverRefused: false,
            $"The server answered {status} without a SCRAM challenge, so it never proved that it holds the password's verifier: response discarded.");
    }

    private async Task<HttpResponseMessage> LogInAsync(HttpRequestMessage request, byte[]? body, string origin, Dictionary<string, IReadOnlyDictionary<string, string>> challenges, CancellationToken cancellationToken)
    {
        var serverCertificate = request.RequestUri!.Scheme == Uri.UriSchemeHttps ? _serverCertificate?.Invoke(request.RequestUri) : null;
        var binding = serverCertificate is null || _options.ChannelBinding == ChannelBindingPolicy.Disabled ? null : ScramChannelBinding.TlsServerEndPoint(serverCertificate);
        // -PLUS first, then SCRAM-SHA-256 among equals: every user has that verifier (RFC 7804 makes it mandatory;
        // users imported from PostgreSQL have no other), and a server does not reveal which verifiers a user has, so
        // a mechanism the user lacks would fail like a wrong password.
        var mechanism = ScramHttp.MechanismPreference.FirstOrDefault(m => challenges.ContainsKey(m.Name) && (m.UsesChannelBinding ? binding is not null : _options.ChannelBinding != ChannelBindingPolicy.Required))
            ?? throw Failure(ScramError.ChannelBindingMismatch, serverRefused: false, _options.ChannelBinding == ChannelBindingPolicy.Required
                ? "Channel binding is required, but the server offers no -PLUS mechanism or its certificate defines no binding hash."
                : "The server offers no SCRAM mechanism this client supports.");
        ScramClient client;
        try
        {
            // A binding passed with a mechanism without -PLUS is sent as the GS2 'y' flag: a server that offered -PLUS
            // (stripped from the challenges on the way) detects the downgrade.
            client = new ScramClient(mechanism, _options.UserName!, _options.Password!(), binding, _options.MaxIterations);
        }
        catch (ScramException e)
        {
            throw Failure(e.Error, serverRefused: false, e.Message, e);
        }

        var realm = challenges[mechanism.Name].TryGetValue(ScramHttp.Realm, out var r) ? r : null;
        using var first = await SendStepAsync(request, body, mechanism, realm, null, client.CreateClientFirst(), cancellationToken).ConfigureAwait(false);
        var next = Challenges(first).GetValueOrDefault(mechanism.Name);
        if (first.StatusCode != HttpStatusCode.Unauthorized || next is null || !next.TryGetValue(ScramHttp.Sid, out var sid) || !next.TryGetValue(ScramHttp.Data, out var serverFirst))
        {
            throw Refused(first, next, "The server did not answer client-first with server-first.");
        }

        string clientFinal;
        try
        {
            clientFinal = client.CreateClientFinal(Decode(serverFirst));
        }
        catch (ScramException e)
        {
            throw Failure(e.Error, serverRefused: false, "The server's SCRAM challenge was refused: " + e.Message, e);
        }

        var response = await SendStepAsync(request, body, mechanism, null, sid, clientFinal, cancellationToken).ConfigureAwait(false);
        try
        {
            Verify(client, response, sid);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        if (_options.UseSessions && SessionFrom(response) is { } session)
        {
            _sessions[origin] = session;
        }

        return response;
    }

    private static void Verify(ScramClient client, HttpResponseMessage response, string sid)
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw Limited(response);
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw Refused(response, Challenges(response).Values.FirstOrDefault(c => c.ContainsKey(ScramHttp.Data)), "The server refused the login.");
        }

        var info = response.Headers.NonValidated.TryGetValues(ScramHttp.AuthenticationInfo, out var values) ? values.FirstOrDefault() : null;
        if (!HttpAuthParameters.TryParse("x " + info, out _, out var parameters) || !parameters.TryGetValue(ScramHttp.Data, out var data)
            || !parameters.TryGetValue(ScramHttp.Sid, out var answeredSid) || answeredSid != sid)
        {
            throw Failure(ScramError.InvalidServerSignature, serverRefused: false,
                $"The server answered {(int)response.StatusCode} without a ServerSignature (Authentication-Info) for this exchange: response discarded.");
        }

        try
        {
            client.VerifyServerFinal(Decode(data));
        }
        catch (ScramException e)
        {
            throw Failure(e.Error, e.Error == ScramError.ServerError,
                e.Error == ScramError.ServerError ? e.Message : "The server did not prove that it knows the password's verifier: response discarded.", e);
        }
    }

    private static MutualAuthenticationException Refused(HttpResponseMessage response, IReadOnlyDictionary<string, string>? challenge, string message)
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return Limited(response);
        }

        var reason = challenge is not null && challenge.TryGetValue(ScramHttp.Data, out var data) && TryDecode(data) is { } text && text.StartsWith("e=", StringComparison.Ordinal) ? text[2..] : null;
        return response.StatusCode == HttpStatusCode.Unauthorized
            ? new(AuthenticationMethods.Scram, ServerReason(reason), RefusingParty.Server, reason is null ? message : $"{message} ({reason})") { StatusCode = (int)response.StatusCode }
            : new(AuthenticationMethods.Scram, ScramReasons.RefusedByServer, RefusingParty.Server, $"{message} The server answered {(int)response.StatusCode}.") { StatusCode = (int)response.StatusCode };
    }

    /// <summary>The server's RFC 5802 <c>e=</c> value as the reason when it is a plain kebab-case word; it comes from the peer, so anything else is not trusted as a code.</summary>
    private static ReasonCode ServerReason(string? error) =>
        error is { Length: > 0 and <= 64 } && error.All(c => char.IsAsciiLetterLower(c) || c == '-') ? new(error) : ScramReasons.RefusedByServer;

    /// <summary>429: the server refuses to start or finish exchanges for this user or client address for a while.</summary>
    private static MutualAuthenticationException Limited(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => (TimeSpan?)null,
        };
        var when = retryAfter is { } wait ? $"retry after {Math.Max(0, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture)} s" : "retry later";
        return new(AuthenticationMethods.Scram, ScramReasons.RateLimited, RefusingParty.Server, $"Too many failed logins for this user or from this address (429): {when}.")
        {
            RetryAfter = retryAfter,
            StatusCode = (int)response.StatusCode,
        };
    }

    private static MutualAuthenticationException Failure(ScramError error, bool serverRefused, string message, Exception? innerException = null) =>
        new(AuthenticationMethods.Scram, ScramClientReasons.For(error), serverRefused ? RefusingParty.Server : RefusingParty.Client, message, innerException);

    private Task<HttpResponseMessage> SendStepAsync(HttpRequestMessage request, byte[]? body, ScramMechanism mechanism, string? realm, string? sid, string message, CancellationToken cancellationToken)
    {
        var parameters = new List<(string, string)>();
        if (realm is not null)
        {
            parameters.Add((ScramHttp.Realm, realm));
        }

        if (sid is not null)
        {
            parameters.Add((ScramHttp.Sid, sid));
        }

        parameters.Add((ScramHttp.Data, Convert.ToBase64String(Encoding.UTF8.GetBytes(message))));
        return base.SendAsync(Copy(request, body, HttpAuthParameters.Format(mechanism.Name, [.. parameters]), null), cancellationToken);
    }

    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body, string? authorization, string? session)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var option in request.Options)
        {
            // Options carry what outer handlers need on every transmission (HttpSignatureHandler's signing).
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        foreach (var header in request.Headers.NonValidated)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in request.Content!.Headers.NonValidated)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        if (authorization is not null)
        {
            copy.Headers.Authorization = null;
            copy.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (session is not null)
        {
            copy.Headers.TryAddWithoutValidation("Cookie", $"{ScramHttp.SessionCookie}={session}");
        }

        return copy;
    }

    /// <summary>SCRAM challenges of a response by mechanism name (upper case).</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, string>> Challenges(HttpResponseMessage response)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        if (response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values))
        {
            foreach (var value in values)
            {
                if (HttpAuthParameters.TryParse(value, out var scheme, out var parameters) && scheme.StartsWith(ScramHttp.SchemePrefix, StringComparison.OrdinalIgnoreCase))
                {
                    result.TryAdd(scheme, parameters);
                }
            }
        }

        return result;
    }

    private static string? SessionFrom(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            return null;
        }

        foreach (var cookie in cookies)
        {
            if (cookie.StartsWith(ScramHttp.SessionCookie + "=", StringComparison.Ordinal))
            {
                var value = cookie[(ScramHttp.SessionCookie.Length + 1)..];
                var end = value.IndexOf(';', StringComparison.Ordinal);
                return end < 0 ? value : value[..end];
            }
        }

        return null;
    }

    private static string Decode(string data) =>
        TryDecode(data) ?? throw Failure(ScramError.InvalidEncoding, serverRefused: false, "The server's SCRAM data is not base64 UTF-8.");

    private static string? TryDecode(string data)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(data));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
    }
}
