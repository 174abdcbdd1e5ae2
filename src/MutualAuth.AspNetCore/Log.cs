using Microsoft.Extensions.Logging;

namespace MutualAuth.AspNetCore;

/// <summary>Log messages of the server side, with stable event ids (1xxx: mTLS, 2xxx: SCRAM, 3xxx: HTTP signatures, 6xxx: WebAuthn, 9xxx: audit and reloads; 9001, 9006 and 9007 are the gateway's, in MutualAuth.Gateway).</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Debug, "mTLS handshake accepted from {Peer}: subject '{Subject}', serial {Serial}")]
    public static partial void HandshakeAccepted(ILogger logger, string? peer, string subject, string serial);

    [LoggerMessage(1002, LogLevel.Warning, "mTLS handshake refused from {Peer}: {ReasonCode}: {Detail}")]
    public static partial void HandshakeRefused(ILogger logger, string? peer, string reasonCode, string detail);

    [LoggerMessage(1005, LogLevel.Information, "TLS handshake from {Peer} refused: malformed handshake records ({Error})")]
    public static partial void MalformedHandshake(ILogger logger, string peer, string error);

    [LoggerMessage(1003, LogLevel.Warning, "mTLS authentication refused for {Peer}: {ReasonCode}: {Detail}")]
    public static partial void AuthenticationRefused(ILogger logger, string? peer, string reasonCode, string detail);

    [LoggerMessage(1004, LogLevel.Debug, "mTLS authenticated '{Subject}' (serial {Serial})")]
    public static partial void Authenticated(ILogger logger, string subject, string serial);

    [LoggerMessage(9002, LogLevel.Error, "Could not write an audit event: {Message}")]
    public static partial void AuditWriteFailed(ILogger logger, string message, Exception exception);

    [LoggerMessage(9022, LogLevel.Warning, "The database did not take {Count} audit events, spooled on this node: {Message}")]
    public static partial void AuditSpooling(ILogger logger, int count, string message);

    [LoggerMessage(9023, LogLevel.Information, "The audit spool was written to the database")]
    public static partial void AuditSpoolDrained(ILogger logger);

    [LoggerMessage(9008, LogLevel.Error, "Could not write {Count} audit events: {Message}")]
    public static partial void AuditBatchWriteFailed(ILogger logger, int count, string message, Exception exception);

    [LoggerMessage(9003, LogLevel.Information, "Audit: {Decision} {Method} subject '{Subject}' credential {Credential} from {Peer}: {ReasonCode}{Amr}")]
    public static partial void Audit(ILogger logger, string decision, string method, string? subject, string? credential, string? peer, string reasonCode, string amr);

    [LoggerMessage(9004, LogLevel.Information, "Reloaded {Description}")]
    public static partial void MaterialReloaded(ILogger logger, string description);

    [LoggerMessage(9005, LogLevel.Error, "Could not reload, keeping the previous material: {Message}")]
    public static partial void MaterialReloadFailed(ILogger logger, string message);

    [LoggerMessage(2001, LogLevel.Information, "SCRAM authenticated '{User}' with {Mechanism} from {Peer}")]
    public static partial void ScramAccepted(ILogger logger, string user, string mechanism, string peer);

    [LoggerMessage(2002, LogLevel.Warning, "SCRAM refused '{User}' ({Mechanism}) from {Peer}: {ReasonCode}: {Detail}")]
    public static partial void ScramRefused(ILogger logger, string user, string mechanism, string peer, string reasonCode, string detail);

    [LoggerMessage(2003, LogLevel.Warning, "SCRAM rate limit reached for '{User}' from {Peer}: attempt refused with 429")]
    public static partial void ScramLimited(ILogger logger, string user, string peer);

    [LoggerMessage(2004, LogLevel.Warning, "SCRAM exchange of '{User}' from {Peer} refused with 503: too many exchanges in progress")]
    public static partial void ScramBusy(ILogger logger, string user, string peer);

    // Debug, as for mTLS (1004): every accepted request already has its audit line (9003) with the same facts.
    [LoggerMessage(3001, LogLevel.Debug, "HTTP signature of '{Client}' (key {KeyId}) from {Peer} verified")]
    public static partial void SignatureAccepted(ILogger logger, string client, string keyId, string peer);

    [LoggerMessage(3002, LogLevel.Warning, "HTTP signature (key {KeyId}) from {Peer} refused: {ReasonCode}: {Detail}")]
    public static partial void SignatureRefused(ILogger logger, string keyId, string peer, string reasonCode, string detail);

    [LoggerMessage(6001, LogLevel.Information, "WebAuthn {Ceremony} of '{User}' from {Peer} accepted")]
    public static partial void WebAuthnAccepted(ILogger logger, string ceremony, string user, string? peer);

    [LoggerMessage(6002, LogLevel.Warning, "WebAuthn {Ceremony} of '{User}' from {Peer} refused: {ReasonCode}: {Detail}")]
    public static partial void WebAuthnRefused(ILogger logger, string ceremony, string user, string? peer, string reasonCode, string detail);
}
