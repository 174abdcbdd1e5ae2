namespace MutualAuth.Tokens;

/// <summary>An authorization server whose access tokens a resource accepts, and where its verification keys come from.</summary>
/// <param name="Issuer">The issuer identifier, compared exactly with <c>iss</c>.</param>
/// <param name="Keys">
/// The issuer's keys for a token naming <c>kid</c> (null when it names none): pinned ones, or the cache of an external
/// issuer's JWKS, which may re-read it once for an unknown <c>kid</c> (<see cref="ExternalIssuerKeys"/>).
/// </param>
internal sealed record TrustedIssuer(string Issuer, Func<string?, CancellationToken, ValueTask<IReadOnlyList<PublicJwk>>> Keys)
{
    /// <summary>An issuer whose keys are known here (the built-in authorization server).</summary>
    public static TrustedIssuer Pinned(string issuer, Func<IReadOnlyList<PublicJwk>> keys) =>
        new(issuer, (_, _) => ValueTask.FromResult(keys()));
}
