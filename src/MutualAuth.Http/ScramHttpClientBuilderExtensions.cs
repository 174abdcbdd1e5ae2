using Microsoft.Extensions.DependencyInjection.Extensions;
using MutualAuth.Http;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace, as Microsoft.Extensions.Http's own do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Adds a SCRAM login (RFC 7804) to a named or typed <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>.</summary>
public static class ScramHttpClientBuilderExtensions
{
    /// <summary>
    /// Makes the client log in with a password and refuse responses whose server did not prove it holds the verifier;
    /// with <c>AddMutualTls</c> on the same client, -PLUS binds to the server certificate it verified.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Sets the user name, password source and channel-binding policy.</param>
    public static IHttpClientBuilder AddScram(this IHttpClientBuilder builder, Action<ScramClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.TryAddKeyedSingleton<VerifiedServerCertificates>(builder.Name);
        return builder.AddHttpMessageHandler(services =>
        {
            var options = new ScramClientOptions();
            configure(options);
            return new ScramHttpHandler(options, services.GetRequiredKeyedService<VerifiedServerCertificates>(builder.Name));
        });
    }
}
