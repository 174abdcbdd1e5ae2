using MutualAuth.Scram;

namespace MutualAuth.AspNetCore.Scram;

/// <summary>A valid session cookie: whose it is and how the exchange that issued it ran.</summary>
/// <param name="UserName">The user.</param>
/// <param name="Mechanism">The mechanism of the exchange that issued it.</param>
/// <param name="ChannelBound">Whether it is bound to the TLS server certificate it was issued over.</param>
internal sealed record ScramSession(string UserName, ScramMechanism Mechanism, bool ChannelBound);
