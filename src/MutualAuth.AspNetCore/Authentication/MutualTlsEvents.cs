namespace MutualAuth.AspNetCore.Authentication;

/// <summary>Events of the mutual TLS scheme.</summary>
public class MutualTlsEvents : MutualAuthenticationEvents<MutualTlsValidatedContext, MutualTlsFailedContext>;
