using Microsoft.Extensions.Logging;

namespace MutualAuth.Gateway;

/// <summary>Log messages of the gateway, with stable event ids (9xxx, shared with the audit and reload lines of MutualAuth.AspNetCore).</summary>
internal static partial class Log
{
    [LoggerMessage(9006, LogLevel.Information, "Renewed the certificate of '{Subject}' (serial {Serial})")]
    public static partial void Renewed(ILogger logger, string subject, string serial);

    [LoggerMessage(9007, LogLevel.Warning, "Refused to renew the certificate of '{Subject}' (serial {Serial}): {Reason}")]
    public static partial void RenewalRefused(ILogger logger, string subject, string serial, string reason);

    [LoggerMessage(9001, LogLevel.Debug, "Request {Method} {Path} from '{Subject}' at {Peer}")]
    public static partial void Request(ILogger logger, string method, string path, string? subject, string? peer);

    [LoggerMessage(9020, LogLevel.Warning, "Refused a {Method} request from {Peer} with 503: the audit spool is full")]
    public static partial void RefusedAuditSpoolFull(ILogger logger, string method, string? peer);

    [LoggerMessage(9021, LogLevel.Error, "Answered 503 to {Path}: the shared store failed: {Message}")]
    public static partial void StoreFailed(ILogger logger, string? path, string message);
}
