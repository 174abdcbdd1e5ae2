using MutualAuth.AspNetCore.Authentication;

namespace MutualAuth.AspNetCore.WebAuthn;

/// <summary>Events of the WebAuthn scheme.</summary>
public class WebAuthnEvents : MutualAuthenticationEvents<MutualValidatedContext<WebAuthnOptions>, MutualFailedContext<WebAuthnOptions>>;
