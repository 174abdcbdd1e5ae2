using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>Context of <see cref="MutualAuthenticationEvents{TValidatedContext, TFailedContext}.OnValidated"/> for mutual TLS.</summary>
public sealed class MutualTlsValidatedContext(HttpContext context, AuthenticationScheme scheme, MutualTlsOptions options, X509Certificate2 certificate, MutualIdentity identity)
    : MutualValidatedContext<MutualTlsOptions>(context, scheme, options, identity)
{
    /// <summary>The validated client certificate.</summary>
    public X509Certificate2 ClientCertificate { get; } = certificate;
}
