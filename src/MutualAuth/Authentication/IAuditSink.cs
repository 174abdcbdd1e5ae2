namespace MutualAuth.Authentication;

/// <summary>Where audit events go (a store, a log, both).</summary>
public interface IAuditSink
{
    /// <summary>Records <paramref name="auditEvent"/>. Implementations must not throw for a full or failing backend without logging it.</summary>
    void Record(AuditEvent auditEvent);
}
