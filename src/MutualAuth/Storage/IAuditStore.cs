using MutualAuth.Authentication;

namespace MutualAuth.Storage;

/// <summary>Durable audit trail.</summary>
public interface IAuditStore
{
    /// <summary>Appends one event.</summary>
    /// <exception cref="StoreException">The store cannot be written.</exception>
    ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends several events, in order. Stores that can should write them in one transaction (all or none); the
    /// default appends them one by one.
    /// </summary>
    /// <exception cref="StoreException">The store cannot be written.</exception>
    async ValueTask AppendRangeAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        foreach (var auditEvent in auditEvents)
        {
            await AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The most recent events, newest first.</summary>
    /// <param name="limit">At most this many (1–10000).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<AuditEvent>> ListRecentAsync(int limit, CancellationToken cancellationToken = default);
}
