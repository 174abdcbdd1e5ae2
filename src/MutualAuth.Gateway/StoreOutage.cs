using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MutualAuth.AspNetCore.Audit;
using MutualAuth.Authentication;
using MutualAuth.Storage;

namespace MutualAuth.Gateway;

/// <summary>
/// Fails closed when the shared store is unavailable: 503 with <c>Retry-After</c>, the reason audited, never an accept
/// and never a 500 (docs/operations.md, "When the database fails").
/// </summary>
internal sealed class StoreOutage(StoreAvailability? availability, TimeProvider time, ILogger logger)
{
    private readonly string _retryAfter = ((int)Math.Ceiling((availability?.RetryAfter ?? TimeSpan.FromSeconds(2)).TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The reason the store cannot be used now, or null when it can (a node without a shared store always can).</summary>
    // Checked before every authenticated request, whatever its methods: a decision made while the node cannot reach
    // the database (mTLS included, whose revocations another node may have written meanwhile) is refused rather than
    // made on state that may be stale. Statements report their outcome and a probe runs every second, so the node
    // notices an outage, and the database's return, within about a second.
    public ReasonCode? Refusal => availability switch
    {
        null or { IsAvailable: true } => null,
        { IsAuditSpoolFull: true } => StoreReasons.AuditSpoolFull,
        _ => StoreReasons.StoreUnavailable,
    };

    /// <summary>Answers 503 and audits the refusal (log only when the audit spool is full: there is no room to keep it).</summary>
    public Task RefuseAsync(HttpContext context, string method, ReasonCode reason)
    {
        if (reason == StoreReasons.AuditSpoolFull)
        {
            Log.RefusedAuditSpoolFull(logger, method, context.Connection.PeerEndpoint());
        }
        else
        {
            context.RecordAudit(time, method, AuditDecision.Refuse, null, null, reason, "the shared store is unavailable");
        }

        return WriteAsync(context);
    }

    /// <summary>The last line of defence: a store failure anywhere else in the pipeline (token and WebAuthn endpoints) is a 503, not a 500.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (StoreException e) when (!context.Response.HasStarted)
        {
            Log.StoreFailed(logger, LogText.Escape(context.Request.Path.Value), e.Message);
            context.Response.Clear();
            await WriteAsync(context);
        }
    }

    private Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = _retryAfter;
        return Task.CompletedTask;
    }
}
