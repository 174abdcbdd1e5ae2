using Microsoft.Extensions.DependencyInjection.Extensions;
using MutualAuth.Http;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace, as Microsoft.Extensions.Http's own do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Adds mutual TLS to a named or typed <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>.</summary>
public static class MutualTlsHttpClientBuilderExtensions
{
    /// <summary>
    /// Makes the client present a certificate and verify the server before sending the request; a later <c>AddScram</c>
    /// binds to the verified server certificate (-PLUS).
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Sets the client certificate and server trust.</param>
    public static IHttpClientBuilder AddMutualTls(this IHttpClientBuilder builder, Action<MutualTlsClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.TryAddKeyedSingleton<VerifiedServerCertificates>(builder.Name);
        return builder
            .ConfigurePrimaryHttpMessageHandler(services =>
            {
                var options = new MutualTlsClientOptions();
                configure(options);
                // SignOnSendHandler: an AddHttpSignatures on this client signs each transmission (each SCRAM round trip) here.
                return new SignOnSendHandler
                {
                    InnerHandler = MutualTlsHttpHandler.Create(options, services.GetService<TimeProvider>() ?? TimeProvider.System,
                        services.GetRequiredKeyedService<VerifiedServerCertificates>(builder.Name)),
                };
            })
            .AddHttpMessageHandler(() => new ServerVerificationHandler());
    }
}
