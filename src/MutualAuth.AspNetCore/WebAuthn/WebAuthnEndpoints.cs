using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MutualAuth.AspNetCore.Audit;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.AspNetCore.Scram;
using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.WebAuthn;

/// <summary>
/// The login page and the ceremony endpoints under <see cref="WebAuthnDefaults.BasePath"/>; see docs/webauthn.md for
/// which of them need an authentication (<c>register/options</c>) and which are public.
/// </summary>
public static class WebAuthnEndpoints
{
    /// <summary>The path that starts a registration for the authenticated user: the operator puts it behind a route of their choice.</summary>
    public const string RegisterPath = WebAuthnDefaults.BasePath + "/register/options";

    private const int MaxBodyBytes = 64 * 1024;
    private const int MaxUserNameLength = 256;

    /// <summary>Maps <c>GET /webauthn/</c> (the page) and the ceremony endpoints of the scheme <paramref name="scheme"/>.</summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="scheme">The WebAuthn scheme whose options (policy, stores) apply.</param>
    public static IEndpointRouteBuilder MapWebAuthn(this IEndpointRouteBuilder endpoints, string scheme = WebAuthnDefaults.AuthenticationScheme)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        const string api = WebAuthnDefaults.BasePath + "/api";
        // Routing matches /webauthn and /webauthn/ alike; the page's relative URLs need the slash.
        endpoints.MapGet(WebAuthnDefaults.BasePath, context =>
        {
            if (context.Request.Path.Value?.EndsWith('/') != true)
            {
                context.Response.Redirect(WebAuthnDefaults.BasePath + "/" + context.Request.QueryString);
                return Task.CompletedTask;
            }

            return WebAuthnPage.WriteAsync(context, "index.html", "text/html; charset=utf-8");
        });
        endpoints.MapGet(WebAuthnDefaults.BasePath + "/webauthn.js", context => WebAuthnPage.WriteAsync(context, "webauthn.js", "text/javascript; charset=utf-8"));
        endpoints.MapPost(RegisterPath, context => Run(context, scheme, "registration", async (party, _) =>
            context.GetMutualIdentity() is { } identity
                ? await party.BeginRegistrationAsync(identity.Subject, context.RequestAborted)
                : null));
        endpoints.MapPost(api + "/enrol/options", context => Run(context, scheme, "registration", async (party, request) =>
            await party.TakeInviteAsync(request.Invite, context.RequestAborted) is { } user
                ? await party.BeginRegistrationAsync(user, context.RequestAborted)
                : null));
        // No userName member: a login with a discoverable credential (the authenticator offers its passkeys for the RP ID).
        endpoints.MapPost(api + "/login/options", context => Run(context, scheme, "login", async (party, request) =>
            request.UserName is null || IsUserName(request.UserName)
                ? await party.BeginLoginAsync(request.UserName, request.UserVerification, context.RequestAborted)
                : null));
        endpoints.MapPost(api + "/register", context => Finish(context, scheme, "registration"));
        endpoints.MapPost(api + "/login", context => Finish(context, scheme, "login"));
        endpoints.MapPost(api + "/logout", context =>
        {
            context.Response.Cookies.Delete(WebAuthnDefaults.SessionCookie, new CookieOptions { Secure = true, HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            return Results.NoContent().ExecuteAsync(context);
        });
        return endpoints;
    }

    private static async Task Run(HttpContext context, string scheme, string ceremony, Func<WebAuthnRelyingParty, WebAuthnStartRequest, Task<(string ChallengeId, string Options)?>> start)
    {
        var (party, options, time) = Services(context, scheme);
        if (await ReadAsync(context, WebAuthnJsonContext.Default.WebAuthnStartRequest) is not { } request)
        {
            await Refuse(context, time, ceremony, WebAuthnReasons.MalformedRequest, "The body is not a JSON start request of at most 64 KiB.", null);
            return;
        }

        // A user whose failures emptied the bucket gets no challenge, known or not (the same answer for both).
        var named = ceremony == "login" ? request.UserName : null;
        if (Limited(context, scheme, options, named) is { } retryAfter)
        {
            await Refuse(context, time, ceremony, WebAuthnReasons.RateLimited, "Too many failed ceremonies for this user or from this address.", named, retryAfter);
            return;
        }

        if (await start(party, request) is not { } started)
        {
            // Registration without an authentication or a live invitation; a login for a malformed user name.
            var reason = ceremony == "login" ? WebAuthnReasons.MalformedRequest : WebAuthnReasons.EnrolmentRequired;
            await Refuse(context, time, ceremony, reason, ceremony == "login" ? "The user name is missing or not valid." : "No authentication and no valid enrolment invitation.", null);
            return;
        }

        context.Response.Headers.CacheControl = "no-store";
        await Results.Text($$"""{"challengeId":"{{started.ChallengeId}}","publicKey":{{started.Options}}}""", "application/json", Encoding.UTF8).ExecuteAsync(context);
    }

    private static async Task Finish(HttpContext context, string scheme, string ceremony)
    {
        var (party, options, time) = Services(context, scheme);
        if (await ReadAsync(context, WebAuthnJsonContext.Default.WebAuthnFinishRequest) is not { } request)
        {
            await Refuse(context, time, ceremony, WebAuthnReasons.MalformedRequest, "The body is not a JSON finish request of at most 64 KiB.", null);
            return;
        }

        if (Limited(context, scheme, options, null) is { } addressRetry)
        {
            await Refuse(context, time, ceremony, WebAuthnReasons.RateLimited, "Too many failed ceremonies from this address.", null, addressRetry);
            return;
        }

        var outcome = ceremony == "login"
            ? await party.FinishLoginAsync(request.ChallengeId, request.Credential, context.RequestAborted)
            : await party.FinishRegistrationAsync(request.ChallengeId, request.Credential, context.RequestAborted);
        // Checked after the ceremony: a login without a user name learns its user from the credential.
        if (outcome.UserName is { } user && Limited(context, scheme, options, user) is { } userRetry)
        {
            await Refuse(context, time, ceremony, WebAuthnReasons.RateLimited, "Too many failed ceremonies for this user.", user, userRetry);
            return;
        }

        if (outcome.Credential is not { } credential)
        {
            Limiter(context, scheme, options).RecordFailure(outcome.UserName, PeerAddress(context));
            await Refuse(context, time, ceremony, outcome.Reason, outcome.Detail, outcome.UserName);
            return;
        }

        var identity = WebAuthnAuthenticationHandler.Identity(credential, outcome.UserVerified);
        context.RecordAudit(time, AuthenticationMethods.WebAuthn, AuditDecision.Accept, identity.Subject, identity.CredentialId, ReasonCode.Ok, ceremony);
        Log.WebAuthnAccepted(Logger(context), ceremony, LogText.Escape(identity.Subject), context.Connection.PeerEndpoint());
        if (ceremony == "login")
        {
            var cookie = new WebAuthnSessions(context.RequestServices.GetRequiredService<IDataProtectionProvider>(), time).Issue(credential, outcome.UserVerified, options.SessionLifetime);
            context.Response.Cookies.Append(WebAuthnDefaults.SessionCookie, cookie, new CookieOptions
            {
                Secure = true,
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                MaxAge = options.SessionLifetime,
            });
        }

        context.Response.Headers.CacheControl = "no-store";
        await Results.Json(new Dictionary<string, string> { ["user"] = identity.Subject, ["ceremony"] = ceremony }, WebAuthnJsonContext.Default.DictionaryStringString).ExecuteAsync(context);
    }

    /// <summary>Audits and logs the refusal with its reason; the client gets a generic 403, or 429 with Retry-After when rate limited.</summary>
    private static async Task Refuse(HttpContext context, TimeProvider time, string ceremony, ReasonCode reason, string detail, string? user, TimeSpan? retryAfter = null)
    {
        context.RecordAudit(time, AuthenticationMethods.WebAuthn, AuditDecision.Refuse, user, null, reason, ceremony + ": " + detail);
        Log.WebAuthnRefused(Logger(context), ceremony, LogText.Escape(user ?? "-"), context.Connection.PeerEndpoint(), reason.Value, LogText.Escape(detail));
        context.Response.Headers.CacheControl = "no-store";
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await Results.Json(new Dictionary<string, string> { ["error"] = $"WebAuthn {ceremony} refused." }, WebAuthnJsonContext.Default.DictionaryStringString,
            statusCode: retryAfter is null ? StatusCodes.Status403Forbidden : StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
    }

    private static ScramFailureLimiter Limiter(HttpContext context, string scheme, WebAuthnOptions options) =>
        context.RequestServices.GetRequiredService<WebAuthnSchemeState>().For(scheme, options);

    /// <summary>How long until the user's (when given) or the address's bucket refills, or null when both hold a token.</summary>
    private static TimeSpan? Limited(HttpContext context, string scheme, WebAuthnOptions options, string? userName) =>
        Limiter(context, scheme, options).IsAllowed(userName, PeerAddress(context), out var retryAfter) ? null : retryAfter;

    // Per IP address, not per connection (a new port costs nothing), as SCRAM counts.
    private static string PeerAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "-";

    private static (WebAuthnRelyingParty Party, WebAuthnOptions Options, TimeProvider Time) Services(HttpContext context, string scheme)
    {
        var options = context.RequestServices.GetRequiredService<IOptionsMonitor<WebAuthnOptions>>().Get(scheme);
        var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        return (new WebAuthnRelyingParty(options, time), options, time);
    }

    private static ILogger Logger(HttpContext context) => context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("MutualAuth.WebAuthn");

    /// <summary>A JSON body (<c>application/json</c>, at most 64 KiB), or null.</summary>
    // The content type also keeps cross-site HTML forms out: they cannot send application/json without a CORS preflight.
    private static async Task<T?> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        if (!string.Equals(context.Request.ContentType?.Split(';')[0].Trim(), "application/json", StringComparison.OrdinalIgnoreCase)
            || context.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted)) > 0)
        {
            length += read;
        }

        if (length > MaxBodyBytes)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(buffer.AsSpan(0, length), type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsUserName(string? name) =>
        name is { Length: > 0 and <= MaxUserNameLength } && !name.Any(char.IsControl);
}
