using MutualAuth.Authentication;

namespace MutualAuth.Storage;

/// <summary>Durable audit trail.</summary>
public interface IAuditStore
{
    /// <summary>Appends one event.</summary>
    /// <exception cref="StoreException">The store cannot be written.</exception>
    void Append(AuditEvent auditEvent);

    /// <summary>
    /// Appends several events, in order. Stores that can should write them in one transaction (all or none); the
    /// default appends them one by one.
    /// </summary>
    /// <exception cref="StoreException">The store cannot be written.</exception>
    void AppendRange(IReadOnlyList<AuditEvent> auditEvents)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        foreach (var auditEvent in auditEvents)
        {
            Append(auditEvent);
        }
    }

    /// <summary>The most recent events, newest first.</summary>
    /// <param name="limit">At most this many (1–10000).</param>
    IReadOnlyList<AuditEvent> ListRecent(int limit);
}
