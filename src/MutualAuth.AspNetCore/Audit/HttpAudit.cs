using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Audit;

/// <summary>Audit events and peer addresses of HTTP requests, shared by the authentication handlers.</summary>
internal static class HttpAudit
{
    /// <summary>The peer as <c>IP:port</c>, or null when the transport has no IP endpoint.</summary>
    public static string? PeerEndpoint(this ConnectionInfo connection) =>
        connection.RemoteIpAddress is { } ip ? $"{ip}:{connection.RemotePort}" : null;

    /// <summary>Records one decision through the registered <see cref="IAuditSink"/>, if any.</summary>
    public static void RecordAudit(this HttpContext context, TimeProvider time, string method, AuditDecision decision,
        string? subject, string? credentialId, string reasonCode, string? detail) =>
        context.RequestServices.GetService<IAuditSink>()?.Record(new AuditEvent
        {
            Time = time.GetUtcNow(),
            Decision = decision,
            Method = method,
            PeerAddress = context.Connection.PeerEndpoint(),
            Subject = subject,
            CredentialId = credentialId,
            ReasonCode = reasonCode,
            Detail = detail,
        });
}
