using MutualAuth.Http;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace, as Microsoft.Extensions.Http's own do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Adds mutual HTTP Message Signatures (RFC 9421) to a named or typed <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>.</summary>
public static class HttpSignatureHttpClientBuilderExtensions
{
    /// <summary>
    /// Makes the client sign every request and refuse responses the server did not sign over this request; the clock is
    /// the registered <see cref="TimeProvider"/> unless <paramref name="configure"/> sets one. With <c>AddMutualTls</c>, each
    /// transmission is signed afresh; call this before <c>AddScram</c> so every SCRAM round trip carries its own signature.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Sets the client's keyid and key and, for asymmetric keys, the pinned server key.</param>
    public static IHttpClientBuilder AddHttpSignatures(this IHttpClientBuilder builder, Action<HttpSignatureClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddHttpMessageHandler(services =>
        {
            var options = new HttpSignatureClientOptions { TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System };
            configure(options);
            return new HttpSignatureHandler(options);
        });
    }
}
