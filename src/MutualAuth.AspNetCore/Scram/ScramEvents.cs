using MutualAuth.AspNetCore.Authentication;

namespace MutualAuth.AspNetCore.Scram;

/// <summary>Events of the SCRAM scheme.</summary>
public class ScramEvents : MutualAuthenticationEvents<MutualValidatedContext<ScramAuthenticationOptions>, MutualFailedContext<ScramAuthenticationOptions>>;
