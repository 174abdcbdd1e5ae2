using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Audit;

/// <summary>Audit events and peer addresses of HTTP requests, shared by the authentication handlers.</summary>
internal static class HttpAudit
{
    /// <summary>The peer as <c>IP:port</c> (<see cref="PeerAddresses"/>), or null when the transport has no IP endpoint.</summary>
    public static string? PeerEndpoint(this ConnectionInfo connection) => PeerAddresses.Format(connection.RemoteIpAddress, connection.RemotePort);

    /// <summary>Records one decision through the registered <see cref="IAuditSink"/>, if any.</summary>
    public static void RecordAudit(this HttpContext context, TimeProvider time, string method, AuditDecision decision,
        string? subject, string? credentialId, ReasonCode reason, string? detail) =>
        context.RequestServices.GetService<IAuditSink>()?.Record(time, method, decision, context.Connection.PeerEndpoint(), subject, credentialId, reason, detail);
}
