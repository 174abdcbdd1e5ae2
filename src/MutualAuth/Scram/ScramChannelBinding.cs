namespace MutualAuth.Scram;

/// <summary>Channel-binding data for -PLUS mechanisms (RFC 5802 §6): the type (<c>tls-server-end-point</c>, RFC 5929) and the bytes.</summary>
/// <param name="Type">The channel-binding type name.</param>
/// <param name="Data">The channel-binding data (for tls-server-end-point, the hash of the server certificate).</param>
public sealed record ScramChannelBinding(string Type, byte[] Data);
