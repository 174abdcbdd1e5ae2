using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Audit;

/// <summary>Builds and records one <see cref="AuditEvent"/>: shared by the authentication handlers and the TLS handshake.</summary>
internal static class AuditRecorder
{
    public static void Record(this IAuditSink sink, TimeProvider time, string method, AuditDecision decision, string? peer,
        string? subject, string? credentialId, ReasonCode reason, string? detail) =>
        sink.Record(new AuditEvent
        {
            Time = time.GetUtcNow(),
            Decision = decision,
            Method = method,
            PeerAddress = peer,
            Subject = subject,
            CredentialId = credentialId,
            ReasonCode = reason.Value,
            Detail = decision == AuditDecision.Accept ? null : detail,
        });
}
