namespace MutualAuth.AspNetCore.Authentication;

/// <summary>One method in the <see cref="AuthenticationMethodRegistry"/>: its route name and the scheme that runs it.</summary>
/// <param name="Method">The name routes use (<c>mtls</c>, <c>scram</c>, <c>sig</c>).</param>
/// <param name="Scheme">The authentication scheme.</param>
/// <param name="ChallengeOrder">Where its 401 challenge goes among the others (lower first); null when it cannot challenge (mTLS: 403).</param>
internal sealed record AuthenticationMethodRegistration(string Method, string Scheme, int? ChallengeOrder);
