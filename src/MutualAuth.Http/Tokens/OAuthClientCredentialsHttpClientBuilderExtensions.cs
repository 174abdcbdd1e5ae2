using MutualAuth.Http;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace, as Microsoft.Extensions.Http's own do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Adds OAuth 2.0 client credentials with sender-constrained tokens to an <see cref="IHttpClientBuilder"/>.</summary>
public static class OAuthClientCredentialsHttpClientBuilderExtensions
{
    /// <summary>Gets, caches and sends DPoP- or certificate-bound access tokens (<see cref="OAuthClientCredentialsHandler"/>).</summary>
    public static IHttpClientBuilder AddOAuthClientCredentials(this IHttpClientBuilder builder, Action<OAuthClientCredentialsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddHttpMessageHandler(services =>
        {
            var options = new OAuthClientCredentialsOptions { TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System };
            configure(options);
            return new OAuthClientCredentialsHandler(options);
        });
    }
}
