namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>A PostgreSQL ErrorResponse: severity, SQLSTATE (e.g. 28P01 invalid_password) and message.</summary>
internal sealed record PgError(string Severity, string SqlState, string Message)
{
    public override string ToString() => $"{Severity} {SqlState}: {Message}";
}
