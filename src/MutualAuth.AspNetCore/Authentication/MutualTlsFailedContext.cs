using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using MutualAuth.Certificates;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>Context of <see cref="MutualAuthenticationEvents{TValidatedContext, TFailedContext}.OnFailed"/> for mutual TLS.</summary>
public sealed class MutualTlsFailedContext(HttpContext context, AuthenticationScheme scheme, MutualTlsOptions options, X509Certificate2? certificate, ChainValidationResult validation)
    : MutualFailedContext<MutualTlsOptions>(context, scheme, options, validation.Reason.ToReasonCode(), validation.Detail)
{
    /// <summary>The refused certificate, if one was presented.</summary>
    public X509Certificate2? ClientCertificate { get; } = certificate;

    /// <summary>Why it was refused.</summary>
    public ChainValidationResult Validation { get; } = validation;
}
