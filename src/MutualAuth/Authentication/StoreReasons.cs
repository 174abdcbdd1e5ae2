namespace MutualAuth.Authentication;

/// <summary>
/// The reason codes of decisions the gateway could not make because the shared store was unavailable: they apply to
/// every method (the request is answered 503 with <c>Retry-After</c>, never accepted).
/// </summary>
public static class StoreReasons
{
    /// <summary>The database could not be reached, timed out, or this node has not confirmed it recently.</summary>
    public static readonly ReasonCode StoreUnavailable = new("store-unavailable");

    /// <summary>The node's audit spool is full: requests are refused rather than audit events dropped (logged only).</summary>
    public static readonly ReasonCode AuditSpoolFull = new("audit-spool-full");

    /// <summary>Every code, in a stable order (the contract file <c>reason-codes/store.txt</c>).</summary>
    public static readonly IReadOnlyList<ReasonCode> All = [StoreUnavailable, AuditSpoolFull];
}
