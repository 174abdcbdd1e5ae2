using MutualAuth.Scram;

namespace MutualAuth.AspNetCore.Scram;

/// <summary>What the handler decided for this request, for the challenge to answer with (kept in <c>HttpContext.Items</c>).</summary>
internal abstract record ScramChallenge
{
    /// <summary>server-first for exchange <paramref name="Sid"/>: 401 with <c>WWW-Authenticate: mechanism sid=…, data=…</c>.</summary>
    public sealed record Continue(ScramMechanism Mechanism, string Sid, string ServerFirst) : ScramChallenge;

    /// <summary>A refused exchange: 401 with fresh challenges, the one for <paramref name="Mechanism"/> carrying <c>e=…</c>.</summary>
    public sealed record Refused(ScramMechanism? Mechanism, ScramError Error) : ScramChallenge;

    /// <summary>Too many failures for this user or address: 429 with <c>Retry-After</c>.</summary>
    public sealed record Limited(TimeSpan RetryAfter) : ScramChallenge;

    /// <summary>Too many exchanges in progress: 503.</summary>
    public sealed record Busy : ScramChallenge;
}
