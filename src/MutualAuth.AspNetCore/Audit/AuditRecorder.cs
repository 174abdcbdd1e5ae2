using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Audit;

/// <summary>Builds and records one <see cref="AuditEvent"/>: shared by the authentication handlers and the TLS handshake.</summary>
internal static class AuditRecorder
{
    public static void Record(this IAuditSink sink, TimeProvider time, string method, AuditDecision decision, string? peer,
        string? subject, string? credentialId, ReasonCode reason, string? detail, IReadOnlyList<string>? amr = null) =>
        sink.Record(new AuditEvent
        {
            Time = time.GetUtcNow(),
            Decision = decision,
            Method = method,
            PeerAddress = peer,
            Subject = subject,
            CredentialId = credentialId,
            ReasonCode = reason.Value,
            // An accepted event says how the key was held when that is more than a software key (amr hwk, sc: a card).
            Detail = decision == AuditDecision.Accept
                ? amr is { Count: > 0 } && !amr.Contains(AuthenticationMethods.AmrSoftwareKey) ? "amr " + string.Join(' ', amr) : null
                : detail,
        });
}
