using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Authentication;

/// <summary>Context of <see cref="MutualTlsEvents.OnValidated"/>.</summary>
public sealed class MutualTlsValidatedContext(HttpContext context, AuthenticationScheme scheme, MutualTlsOptions options, X509Certificate2 certificate, MutualIdentity identity)
    : ResultContext<MutualTlsOptions>(context, scheme, options)
{
    /// <summary>The validated client certificate.</summary>
    public X509Certificate2 ClientCertificate { get; } = certificate;

    /// <summary>The identity derived from it.</summary>
    public MutualIdentity Identity { get; } = identity;
}
