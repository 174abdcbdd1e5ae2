using MutualAuth.Keys;

namespace MutualAuth.Tokens;

/// <summary>
/// The authorization server's token keys: the one that signs now, and every key whose tokens may still be valid
/// (published in the JWKS through the rotation overlap).
/// </summary>
/// <param name="CurrentKeyId">The <c>kid</c> of <paramref name="Current"/>.</param>
/// <param name="Current">The key that signs new tokens.</param>
/// <param name="Published">Every key in the JWKS, the current one included.</param>
internal sealed record TokenSigningKeys(string CurrentKeyId, SigningKey Current, IReadOnlyList<(string KeyId, SigningKey Key)> Published);
