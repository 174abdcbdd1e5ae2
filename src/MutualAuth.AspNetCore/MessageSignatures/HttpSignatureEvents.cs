using MutualAuth.AspNetCore.Authentication;

namespace MutualAuth.AspNetCore.MessageSignatures;

/// <summary>Events of the HTTP Message Signatures scheme.</summary>
public class HttpSignatureEvents : MutualAuthenticationEvents<MutualValidatedContext<HttpSignatureAuthenticationOptions>, MutualFailedContext<HttpSignatureAuthenticationOptions>>;
