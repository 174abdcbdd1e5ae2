using Microsoft.Extensions.Logging;

namespace MutualAuth.AspNetCore.Tokens;

/// <summary>Log messages of access tokens (event ids 6xxx; the other ranges are in <c>Log.cs</c>).</summary>
internal static partial class TokenLog
{
    [LoggerMessage(6001, LogLevel.Debug, "Access token of '{Client}' from {Peer} accepted ({Binding})")]
    public static partial void Accepted(ILogger logger, string client, string peer, string binding);

    [LoggerMessage(6002, LogLevel.Warning, "Access token from {Peer} refused: {ReasonCode}: {Detail}")]
    public static partial void Refused(ILogger logger, string peer, string reasonCode, string detail);
}
