using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>The <see cref="IMutualIdentityFeature"/> the handlers and the gateway set.</summary>
/// <param name="Identity">The identity.</param>
internal sealed record MutualIdentityFeature(MutualIdentity? Identity) : IMutualIdentityFeature;
