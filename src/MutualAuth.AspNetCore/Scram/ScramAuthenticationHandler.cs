using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.Authentication;
using MutualAuth.Scram;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.Scram;

/// <summary>
/// SCRAM HTTP authentication (RFC 7804 §5): answers client-first with a 401 server-first challenge, authenticates
/// client-final, and issues a session cookie; see docs/scram.md.
/// </summary>
internal sealed class ScramAuthenticationHandler(IOptionsMonitor<ScramAuthenticationOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder,
    ScramSchemeState state, IDataProtectionProvider dataProtection)
    : MutualAuthenticationHandler<ScramAuthenticationOptions, MutualValidatedContext<ScramAuthenticationOptions>, MutualFailedContext<ScramAuthenticationOptions>>(options, loggerFactory, encoder)
{
    private const int MaxMessageBytes = 4096;
    private const int MaxSidLength = 64;
    private static readonly object ChallengeKey = new();

    // Decisions go to their own category, so hosts can quiet the base class's per-request "challenged" lines.
    private readonly ILogger _log = loggerFactory.CreateLogger("MutualAuth.Scram");

    // The mechanism of the exchange being decided, for the log line.
    private ScramMechanism? _mechanism;

    // The rate limits and pending exchanges count per IP address, not per connection (a new port costs nothing).
    private string PeerIp => Context.Connection.RemoteIpAddress?.ToString() ?? "-";

    protected override string Method => AuthenticationMethods.Scram;

    protected override string RefusalMessage => "SCRAM authentication failed.";

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new ScramEvents());

    protected override async Task<MethodOutcome> AuthenticateMethodAsync()
    {
        var binding = ChannelBinding();
        var offered = Offered(binding);
        var credentials = Request.Headers.Authorization
            .Select(v => HttpAuthParameters.TryParse(v, out var scheme, out var parameters) ? (scheme, parameters) : default)
            .FirstOrDefault(c => c.scheme?.StartsWith(ScramHttp.SchemePrefix, StringComparison.OrdinalIgnoreCase) == true);
        if (credentials.scheme is null)
        {
            return await SessionResultAsync(binding, offered);
        }

        var mechanism = _mechanism = offered.FirstOrDefault(m => string.Equals(m.Name, credentials.scheme, StringComparison.OrdinalIgnoreCase));
        if (mechanism is null)
        {
            return Refuse(null, null, ScramError.ChannelBindingMismatch, $"{LogText.Escape(credentials.scheme)} is not offered on this connection.");
        }

        if (!credentials.parameters.TryGetValue(ScramHttp.Data, out var data) || !TryDecode(data, out var message))
        {
            return Refuse(mechanism, null, ScramError.InvalidEncoding, "The data parameter is missing, too long or not base64 UTF-8.");
        }

        var (pending, limiter) = state.For(Scheme.Name, Options);
        // Each round trip binds the connection it arrives on (with a shared store, client-final may reach another node).
        var offeredBinding = offered.Any(m => m.UsesChannelBinding) ? binding : null;
        return credentials.parameters.TryGetValue(ScramHttp.Sid, out var sid)
            ? await ClientFinalAsync(mechanism, sid, message, offeredBinding, pending, limiter)
            : await ClientFirstAsync(mechanism, message, offeredBinding, pending, limiter);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var decided = Context.Items[ChallengeKey] as ScramChallenge;
        switch (decided)
        {
            case ScramChallenge.Limited limited:
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = ((int)Math.Ceiling(limited.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            case ScramChallenge.Busy:
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Task.CompletedTask;
            case ScramChallenge.Continue next:
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                Response.Headers.Append("WWW-Authenticate", HttpAuthParameters.Format(next.Mechanism.Name, (ScramHttp.Sid, next.Sid), (ScramHttp.Data, Encode(next.ServerFirst))));
                return Task.CompletedTask;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var refused = decided as ScramChallenge.Refused;
        foreach (var mechanism in Offered(ChannelBinding()))
        {
            Response.Headers.Append("WWW-Authenticate", refused?.Mechanism == mechanism
                ? HttpAuthParameters.Format(mechanism.Name, (ScramHttp.Realm, Options.Realm), (ScramHttp.Data, Encode(ScramServer.ErrorMessage(refused.Error))))
                : HttpAuthParameters.Format(mechanism.Name, (ScramHttp.Realm, Options.Realm)));
        }

        return Task.CompletedTask;
    }

    private async Task<MethodOutcome> ClientFirstAsync(ScramMechanism mechanism, string message, ScramChannelBinding? binding, IScramExchangeStore pending, ScramFailureLimiter limiter)
    {
        if (!limiter.IsAllowed(null, PeerIp, out var wait))
        {
            return Limit(null, wait);
        }

        var store = Options.UserStore!;
        // Read for every exchange, known user or not, so that unknown users' decoy shapes follow the stored ones.
        var server = new ScramServer(mechanism, Options.ServerSecret!, binding, shapesInUse: await store.ShapesAsync(mechanism, Context.RequestAborted));
        string serverFirst;
        try
        {
            var userName = server.ReadClientFirst(message);
            serverFirst = server.AnswerClientFirst(await store.FindAsync(userName, mechanism, Context.RequestAborted));
        }
        catch (ScramException e)
        {
            limiter.RecordFailure(null, PeerIp);
            return Refuse(mechanism, server.UserName, e.Error, e.Message);
        }

        if (!limiter.IsAllowed(server.UserName, PeerIp, out wait))
        {
            return Limit(server.UserName, wait);
        }

        var (gs2Header, clientFirstBare, _) = server.PendingState();
        var sid = Base64Url(RandomNumberGenerator.GetBytes(18));
        var exchange = new ScramPendingExchange(sid, mechanism.Name, server.UserName!, PeerIp, gs2Header, clientFirstBare, serverFirst, TimeProvider.GetUtcNow() + Options.ExchangeTimeout);
        if (exchange.Length > ScramPendingExchange.MaxLength
            || !await pending.TryAddAsync(exchange, Options.MaxPendingExchanges, Options.MaxPendingExchangesPerAddress, TimeProvider.GetUtcNow(), Context.RequestAborted))
        {
            Context.Items[ChallengeKey] = new ScramChallenge.Busy();
            return new MethodOutcome.Refused(ScramReasons.Busy, "Too many SCRAM exchanges in progress (in total or from this address).", server.UserName, server.UserName);
        }

        Context.Items[ChallengeKey] = new ScramChallenge.Continue(mechanism, sid, serverFirst);
        return MethodOutcome.NoResult;
    }

    private async Task<MethodOutcome> ClientFinalAsync(ScramMechanism mechanism, string sid, string message, ScramChannelBinding? binding, IScramExchangeStore pending, ScramFailureLimiter limiter)
    {
        if (sid.Length > MaxSidLength || await pending.TakeAsync(sid, TimeProvider.GetUtcNow(), Context.RequestAborted) is not { } exchange
            || !string.Equals(exchange.Mechanism, mechanism.Name, StringComparison.Ordinal))
        {
            limiter.RecordFailure(null, PeerIp);
            // Audited as its own code; the client still gets e=invalid-encoding, as before (RFC 5802 has no closer value).
            return Refuse(mechanism, null, ScramError.InvalidState, "Unknown, used or expired sid.", ScramReasons.UnknownSession);
        }

        if (!limiter.IsAllowed(exchange.UserName, PeerIp, out var wait))
        {
            return Limit(exchange.UserName, wait);
        }

        // The verifier is read again (the store holds none): once for the proof, and the same record seals the session.
        var credential = await Options.UserStore!.FindAsync(exchange.UserName, mechanism, Context.RequestAborted);
        string serverFinal;
        try
        {
            serverFinal = ScramServer.Resume(mechanism, Options.ServerSecret!, binding, exchange.UserName, exchange.Gs2Header, exchange.ClientFirstBare, exchange.ServerFirst, credential)
                .HandleClientFinal(message);
        }
        catch (ScramException e)
        {
            limiter.RecordFailure(exchange.UserName, PeerIp);
            return Refuse(mechanism, exchange.UserName, e.Error, e.Message);
        }

        var info = HttpAuthParameters.Format("", (ScramHttp.Sid, sid), (ScramHttp.Data, Encode(serverFinal)));
        Response.OnStarting(() =>
        {
            Response.Headers[ScramHttp.AuthenticationInfo] = info;
            return Task.CompletedTask;
        });
        if (Options.SessionLifetime > TimeSpan.Zero && Request.IsHttps && credential is not null)
        {
            var cookie = new ScramSessions(dataProtection, TimeProvider).Issue(exchange.UserName, credential, mechanism.UsesChannelBinding ? binding : null, Options.SessionLifetime);
            Response.Cookies.Append(ScramDefaults.SessionCookie, cookie, new CookieOptions
            {
                Secure = true,
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                MaxAge = Options.SessionLifetime,
            });
        }

        return new MethodOutcome.Accepted(Identity(exchange.UserName, new ScramEvidence(mechanism.Name, mechanism.UsesChannelBinding)));
    }

    private async Task<MethodOutcome> SessionResultAsync(ScramChannelBinding? binding, IReadOnlyList<ScramMechanism> offered)
    {
        if (Options.SessionLifetime <= TimeSpan.Zero || !Request.Cookies.TryGetValue(ScramDefaults.SessionCookie, out var cookie) || cookie.Length > HttpAuthParameters.MaxLength)
        {
            return MethodOutcome.NoResult;
        }

        var store = Options.UserStore!;
        var session = await new ScramSessions(dataProtection, TimeProvider).ValidateAsync(cookie, store.FindAsync, offered, binding, Context.RequestAborted);
        // The exchange that issued the cookie was audited; each request that presents it is not (nor logged).
        return session is null
            ? MethodOutcome.NoResult
            : new MethodOutcome.Accepted(Identity(session.UserName, new ScramEvidence(null, session.ChannelBound)), Audit: false);
    }

    private static MutualIdentity Identity(string userName, ScramEvidence evidence) => new()
    {
        Subject = userName,
        Method = AuthenticationMethods.Scram,
        Amr = [AuthenticationMethods.AmrPassword],
        CredentialId = userName,
        Evidence = evidence,
    };

    private MethodOutcome.Refused Refuse(ScramMechanism? mechanism, string? userName, ScramError error, string detail, ReasonCode? reason = null)
    {
        Context.Items[ChallengeKey] = new ScramChallenge.Refused(mechanism, error);
        return new MethodOutcome.Refused(reason ?? error.ToReasonCode(), detail, userName, userName);
    }

    private MethodOutcome.Refused Limit(string? userName, TimeSpan retryAfter)
    {
        Context.Items[ChallengeKey] = new ScramChallenge.Limited(retryAfter);
        return new MethodOutcome.Refused(ScramReasons.RateLimited, "Too many failed attempts.", userName, userName);
    }

    protected override MutualValidatedContext<ScramAuthenticationOptions> CreateValidatedContext(MutualIdentity identity) => new(Context, Scheme, Options, identity);

    protected override MutualFailedContext<ScramAuthenticationOptions> CreateFailedContext(MethodOutcome.Refused refused) => new(Context, Scheme, Options, refused.Reason, refused.Detail);

    protected override void LogAccepted(MutualIdentity identity)
    {
        if (identity.Evidence is ScramEvidence { Mechanism: { } mechanism })
        {
            Log.ScramAccepted(_log, LogText.Escape(identity.Subject), mechanism, PeerForLog);
        }
    }

    protected override void LogRefused(MethodOutcome.Refused refused)
    {
        var user = LogText.Escape(refused.Subject ?? "-");
        if (refused.Reason == ScramReasons.RateLimited)
        {
            Log.ScramLimited(_log, user, PeerForLog);
        }
        else if (refused.Reason == ScramReasons.Busy)
        {
            Log.ScramBusy(_log, user, PeerForLog);
        }
        else
        {
            Log.ScramRefused(_log, user, _mechanism?.Name ?? "-", PeerForLog, refused.Reason.Value, LogText.Escape(refused.Detail));
        }
    }

    /// <summary>The tls-server-end-point binding of this connection's server certificate, or null (plain HTTP, or no hash defined).</summary>
    private ScramChannelBinding? ChannelBinding() =>
        Context.Features.Get<ISslStreamFeature>()?.SslStream.LocalCertificate is { } local
            ? ScramChannelBinding.TlsServerEndPoint(local as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(local.GetRawCertData()))
            : null;

    private List<ScramMechanism> Offered(ScramChannelBinding? binding) =>
        [.. Options.Mechanisms.Where(m => m.UsesChannelBinding ? binding is not null : !Options.RequireChannelBinding)];

    private static bool TryDecode(string data, out string message)
    {
        message = "";
        if (data.Length > MaxMessageBytes * 4 / 3 + 4)
        {
            return false;
        }

        try
        {
            message = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(data));
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');

    private static string Encode(string message) => Convert.ToBase64String(Encoding.UTF8.GetBytes(message));
}
