namespace MutualAuth.Authentication;

/// <summary>A SCRAM authentication: the mechanism and whether it was bound to the TLS channel (-PLUS).</summary>
/// <param name="Mechanism">The mechanism (<c>SCRAM-SHA-256-PLUS</c>…); null when a session cookie from an earlier exchange authenticated.</param>
/// <param name="ChannelBinding">Whether the exchange (or the session) is bound to the TLS server certificate.</param>
public sealed record ScramEvidence(string? Mechanism, bool ChannelBinding) : IdentityEvidence;
