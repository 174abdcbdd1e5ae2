using Microsoft.Extensions.Logging;
using MutualAuth.Authentication;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.Audit;

/// <summary>Writes audit events to the log and, when a store is given, to the store. Never throws: a failing store is logged.</summary>
/// <param name="store">The durable store, or <see langword="null"/> for log only.</param>
/// <param name="logger">The log.</param>
internal sealed class StoreAuditSink(IAuditStore? store, ILogger<StoreAuditSink> logger) : IAuditSink
{
    /// <inheritdoc />
    public void Record(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        Log.Audit(logger, auditEvent.Decision == AuditDecision.Accept ? "accept" : "refuse", auditEvent.Method, LogText.Escape(auditEvent.Subject), LogText.Escape(auditEvent.CredentialId), LogText.Escape(auditEvent.PeerAddress), auditEvent.ReasonCode,
            auditEvent.Decision == AuditDecision.Accept && auditEvent.Detail is { } amr ? $" ({amr})" : "");
        if (store is null)
        {
            return;
        }

        try
        {
            // A queued store completes at once; any other finishes in the background, its failure logged.
            var append = store.AppendAsync(auditEvent);
            if (!append.IsCompletedSuccessfully)
            {
                _ = ObserveAsync(append);
            }
        }
        catch (StoreException e)
        {
            Log.AuditWriteFailed(logger, e.Message, e);
        }
    }

    private async Task ObserveAsync(ValueTask append)
    {
        try
        {
            await append.ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            Log.AuditWriteFailed(logger, e.Message, e);
        }
    }
}
