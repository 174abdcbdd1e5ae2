using MutualAuth.AspNetCore.Authentication;

namespace MutualAuth.AspNetCore.Tokens;

/// <summary>Hooks of access token authentication.</summary>
internal sealed class AccessTokenEvents : MutualAuthenticationEvents<MutualValidatedContext<AccessTokenAuthenticationOptions>, MutualFailedContext<AccessTokenAuthenticationOptions>>;
