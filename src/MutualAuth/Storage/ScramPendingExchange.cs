namespace MutualAuth.Storage;

/// <summary>
/// A SCRAM exchange between server-first and client-final: what the second round trip needs and nothing more (no
/// verifier, no key; the verifier is read again from the user store).
/// </summary>
/// <param name="Id">The exchange's <c>sid</c> (random, URL-safe base64, at most 64 characters).</param>
/// <param name="Mechanism">The mechanism's name, e.g. <c>SCRAM-SHA-256-PLUS</c>.</param>
/// <param name="UserName">The user name in its SASLprep form.</param>
/// <param name="Address">The client's IP address, for the per-address bound.</param>
/// <param name="Gs2Header">The GS2 header of client-first (e.g. <c>p=tls-server-end-point,,</c>).</param>
/// <param name="ClientFirstBare">client-first-message-bare.</param>
/// <param name="ServerFirst">server-first-message (nonce, salt, iteration count).</param>
/// <param name="Expires">When client-final is no longer accepted.</param>
public sealed record ScramPendingExchange(string Id, string Mechanism, string UserName, string Address, string Gs2Header, string ClientFirstBare, string ServerFirst,
    DateTimeOffset Expires)
{
    /// <summary>The most characters a stored exchange may hold in all (client-first is at most 4096 bytes).</summary>
    public const int MaxLength = 16 * 1024;

    /// <summary>The characters of every field together, to check against <see cref="MaxLength"/>.</summary>
    public int Length => Id.Length + Mechanism.Length + UserName.Length + Address.Length + Gs2Header.Length + ClientFirstBare.Length + ServerFirst.Length;
}
