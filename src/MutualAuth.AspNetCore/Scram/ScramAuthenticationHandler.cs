using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MutualAuth.AspNetCore.Audit;
using MutualAuth.Audit;
using MutualAuth.Identity;
using MutualAuth.Scram;

namespace MutualAuth.AspNetCore.Scram;

/// <summary>
/// SCRAM HTTP authentication (RFC 7804 §5): <c>Authorization: SCRAM-SHA-256 data=…</c> (client-first) is answered
/// 401 with <c>WWW-Authenticate: SCRAM-SHA-256 sid=…, data=…</c> (server-first); <c>Authorization: SCRAM-SHA-256
/// sid=…, data=…</c> (client-final) authenticates the request, whose response carries
/// <c>Authentication-Info: sid=…, data=…</c> (server-final, the ServerSignature the client must verify).
/// Over TLS the -PLUS mechanisms bind the exchange to the server certificate (tls-server-end-point, RFC 5929).
/// A session cookie lets the client skip the exchange on later requests.
/// </summary>
internal sealed class ScramAuthenticationHandler(IOptionsMonitor<ScramAuthenticationOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder,
    ScramSchemeState state, IDataProtectionProvider dataProtection)
    : AuthenticationHandler<ScramAuthenticationOptions>(options, loggerFactory, encoder)
{
    private const int MaxMessageBytes = 4096;
    private static readonly object ChallengeKey = new();

    // Decisions go to their own category, so hosts can quiet the base class's per-request "challenged" lines.
    private readonly ILogger _log = loggerFactory.CreateLogger("MutualAuth.Scram");

    private string Peer => Context.Connection.RemoteIpAddress?.ToString() ?? "-";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var binding = ChannelBinding();
        var offered = Offered(binding);
        var credentials = Request.Headers.Authorization
            .Select(v => HttpAuthParameters.TryParse(v, out var scheme, out var parameters) ? (scheme, parameters) : default)
            .FirstOrDefault(c => c.scheme?.StartsWith(ScramHttp.SchemePrefix, StringComparison.OrdinalIgnoreCase) == true);
        if (credentials.scheme is null)
        {
            return Task.FromResult(SessionResult(binding, offered));
        }

        var mechanism = offered.FirstOrDefault(m => string.Equals(m.Name, credentials.scheme, StringComparison.OrdinalIgnoreCase));
        if (mechanism is null)
        {
            return Task.FromResult(Refuse(null, null, ScramError.ChannelBindingMismatch, $"{LogText.Escape(credentials.scheme)} is not offered on this connection."));
        }

        if (!credentials.parameters.TryGetValue(ScramHttp.Data, out var data) || !TryDecode(data, out var message))
        {
            return Task.FromResult(Refuse(mechanism, null, ScramError.InvalidEncoding, "The data parameter is missing, too long or not base64 UTF-8."));
        }

        var (pending, limiter) = state.For(Scheme.Name, Options);
        return Task.FromResult(credentials.parameters.TryGetValue(ScramHttp.Sid, out var sid)
            ? ClientFinal(mechanism, sid, message, binding, pending, limiter)
            : ClientFirst(mechanism, message, offered.Any(m => m.UsesChannelBinding) ? binding : null, pending, limiter));
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

    private AuthenticateResult ClientFirst(ScramMechanism mechanism, string message, ScramChannelBinding? binding, ScramPendingExchanges pending, ScramFailureLimiter limiter)
    {
        if (!limiter.IsAllowed(null, Peer, out var wait))
        {
            return Limit(null, wait);
        }

        var store = Options.UserStore!;
        var server = new ScramServer(mechanism, name => store.Find(name, mechanism), Options.ServerSecret!, binding);
        string serverFirst;
        try
        {
            serverFirst = server.HandleClientFirst(message);
        }
        catch (ScramException e)
        {
            limiter.RecordFailure(null, Peer);
            return Refuse(mechanism, server.UserName, e.Error, e.Message);
        }

        if (!limiter.IsAllowed(server.UserName, Peer, out wait))
        {
            return Limit(server.UserName, wait);
        }

        if (pending.Add(server, mechanism, server.UserName!, Peer) is not { } sid)
        {
            Log.ScramBusy(_log, LogText.Escape(server.UserName!), Peer);
            Audit(AuditDecision.Refuse, server.UserName, "busy", "Too many SCRAM exchanges in progress (in total or from this address).");
            Context.Items[ChallengeKey] = new ScramChallenge.Busy();
            return AuthenticateResult.Fail("Too many SCRAM exchanges in progress.");
        }

        Context.Items[ChallengeKey] = new ScramChallenge.Continue(mechanism, sid, serverFirst);
        return AuthenticateResult.NoResult();
    }

    private AuthenticateResult ClientFinal(ScramMechanism mechanism, string sid, string message, ScramChannelBinding? binding, ScramPendingExchanges pending, ScramFailureLimiter limiter)
    {
        if (pending.Take(sid, mechanism) is not { } exchange)
        {
            limiter.RecordFailure(null, Peer);
            return Refuse(mechanism, null, ScramError.InvalidState, "Unknown, used or expired sid.");
        }

        if (!limiter.IsAllowed(exchange.UserName, Peer, out var wait))
        {
            return Limit(exchange.UserName, wait);
        }

        string serverFinal;
        try
        {
            serverFinal = exchange.Server.HandleClientFinal(message);
        }
        catch (ScramException e)
        {
            limiter.RecordFailure(exchange.UserName, Peer);
            return Refuse(mechanism, exchange.UserName, e.Error, e.Message);
        }

        var info = HttpAuthParameters.Format("", (ScramHttp.Sid, sid), (ScramHttp.Data, Encode(serverFinal)));
        Response.OnStarting(() =>
        {
            Response.Headers[ScramHttp.AuthenticationInfo] = info;
            return Task.CompletedTask;
        });
        if (Options.SessionLifetime > TimeSpan.Zero && Request.IsHttps && Options.UserStore!.Find(exchange.UserName, mechanism) is { } credential)
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

        Log.ScramAccepted(_log, LogText.Escape(exchange.UserName), mechanism.Name, Peer);
        Audit(AuditDecision.Accept, exchange.UserName, "ok", null);
        return Success(exchange.UserName);
    }

    private AuthenticateResult SessionResult(ScramChannelBinding? binding, IReadOnlyList<ScramMechanism> offered)
    {
        if (Options.SessionLifetime <= TimeSpan.Zero || !Request.Cookies.TryGetValue(ScramDefaults.SessionCookie, out var cookie) || cookie.Length > HttpAuthParameters.MaxLength)
        {
            return AuthenticateResult.NoResult();
        }

        var store = Options.UserStore!;
        var user = new ScramSessions(dataProtection, TimeProvider).Validate(cookie, store.Find, offered, binding);
        return user is null ? AuthenticateResult.NoResult() : Success(user);
    }

    private AuthenticateResult Success(string userName)
    {
        var identity = new MutualIdentity
        {
            Subject = userName,
            Method = AuthenticationMethods.Scram,
            Amr = [AuthenticationMethods.AmrPassword],
            CredentialId = userName,
        };
        Context.Items[typeof(MutualIdentity)] = identity;
        return AuthenticateResult.Success(new AuthenticationTicket(identity.ToClaimsPrincipal(Scheme.Name, ClaimsIssuer), Scheme.Name));
    }

    private AuthenticateResult Refuse(ScramMechanism? mechanism, string? userName, ScramError error, string detail)
    {
        var code = ScramServer.ErrorMessage(error)[2..];
        Log.ScramRefused(_log, LogText.Escape(userName ?? "-"), mechanism?.Name ?? "-", Peer, code, LogText.Escape(detail));
        Audit(AuditDecision.Refuse, userName, code, detail);
        Context.Items[ChallengeKey] = new ScramChallenge.Refused(mechanism, error);
        return AuthenticateResult.Fail("SCRAM authentication failed.");
    }

    private AuthenticateResult Limit(string? userName, TimeSpan retryAfter)
    {
        Log.ScramLimited(_log, LogText.Escape(userName ?? "-"), Peer);
        Audit(AuditDecision.Refuse, userName, "rate-limited", "Too many failed attempts.");
        Context.Items[ChallengeKey] = new ScramChallenge.Limited(retryAfter);
        return AuthenticateResult.Fail("Too many failed SCRAM attempts.");
    }

    private void Audit(AuditDecision decision, string? userName, string code, string? detail) =>
        Context.RecordAudit(TimeProvider, AuthenticationMethods.Scram, decision, userName, userName, code, detail);

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

    private static string Encode(string message) => Convert.ToBase64String(Encoding.UTF8.GetBytes(message));
}
