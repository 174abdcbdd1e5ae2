namespace MutualAuth.Storage;

/// <summary>
/// Whether this node may make decisions that need the shared store: the database answered its last statement (or
/// probe), and the node's audit spool has room. The gateway answers 503 with <see cref="RetryAfter"/> while it is not.
/// </summary>
// One object per node, written by the database (each statement's outcome, and the probe that runs while it is idle or
// down) and by the audit spool, read by the gateway before every authenticated request. Volatile fields: readers need
// the latest value, not a consistent pair.
public sealed class StoreAvailability
{
    private volatile bool _databaseReachable = true;
    private volatile bool _auditSpoolFull;

    /// <summary>What a refused client is told to wait before it retries.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The database answered the last statement or probe.</summary>
    public bool IsDatabaseReachable => _databaseReachable;

    /// <summary>The audit spool reached its size limit (docs/operations.md).</summary>
    public bool IsAuditSpoolFull => _auditSpoolFull;

    /// <summary>Decisions that need the store may be made.</summary>
    public bool IsAvailable => _databaseReachable && !_auditSpoolFull;

    /// <summary>Raised when <see cref="IsDatabaseReachable"/> turns true again (e.g. to drain the audit spool).</summary>
    public event Action? DatabaseReturned;

    /// <summary>Records that the database answered.</summary>
    public void ReportDatabaseReachable()
    {
        if (!_databaseReachable)
        {
            _databaseReachable = true;
            DatabaseReturned?.Invoke();
        }
    }

    /// <summary>Records that the database could not be reached or timed out.</summary>
    public void ReportDatabaseUnreachable() => _databaseReachable = false;

    /// <summary>Records whether the audit spool is at its limit.</summary>
    public void ReportAuditSpoolFull(bool full) => _auditSpoolFull = full;
}
