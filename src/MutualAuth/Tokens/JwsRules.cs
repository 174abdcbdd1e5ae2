namespace MutualAuth.Tokens;

/// <summary>What <see cref="CompactJws.Parse"/> accepts for one kind of token.</summary>
/// <param name="Algorithms">The allowed <c>alg</c> values (a subset of <see cref="JwsAlgorithms.Asymmetric"/>).</param>
/// <param name="Types">The allowed <c>typ</c> values, compared ignoring case; null in the set allows no <c>typ</c>.</param>
/// <param name="JwkHeader">Whether the key comes in the <c>jwk</c> header (DPoP proofs only); otherwise it is refused.</param>
/// <param name="MaxLength">The size cap, checked before anything is decoded.</param>
internal sealed record JwsRules(IReadOnlySet<string> Algorithms, IReadOnlySet<string?> Types, bool JwkHeader, int MaxLength);
