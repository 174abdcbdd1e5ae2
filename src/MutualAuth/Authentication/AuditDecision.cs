namespace MutualAuth.Authentication;

/// <summary>The outcome recorded in an <see cref="AuditEvent"/>.</summary>
public enum AuditDecision
{
    /// <summary>The peer was authenticated.</summary>
    Accept,

    /// <summary>The peer was refused.</summary>
    Refuse,
}
