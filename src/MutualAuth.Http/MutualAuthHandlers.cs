namespace MutualAuth.Http;

/// <summary>Builds the handler chain of a mutually authenticating <see cref="HttpClient"/> without dependency injection.</summary>
public static class MutualAuthHandlers
{
    /// <summary>
    /// Chains server verification, RFC 9421 signatures and SCRAM (each when its options are given, SCRAM bound to the
    /// verified server certificate) over mutual TLS. Every refusal throws <see cref="MutualAuthenticationException"/>.
    /// </summary>
    /// <param name="tls">The client certificate (optional) and how the server is verified.</param>
    /// <param name="scram">SCRAM login options, or null.</param>
    /// <param name="signatures">HTTP Message Signature options, or null.</param>
    /// <param name="timeProvider">The clock for certificate validity; the system clock by default.</param>
    /// <exception cref="InvalidOperationException">Some options are incomplete.</exception>
    public static HttpMessageHandler Create(MutualTlsClientOptions tls, ScramClientOptions? scram = null, HttpSignatureClientOptions? signatures = null, TimeProvider? timeProvider = null) =>
        Create(tls, scram, signatures, timeProvider, null);

    /// <summary>As the public overload, with <paramref name="transmissions"/> right above the transport: it sees every request as sent (call -v).</summary>
    internal static HttpMessageHandler Create(MutualTlsClientOptions tls, ScramClientOptions? scram, HttpSignatureClientOptions? signatures, TimeProvider? timeProvider, DelegatingHandler? transmissions)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var verified = new VerifiedServerCertificates();
        HttpMessageHandler handler = MutualTlsHttpHandler.Create(tls, timeProvider ?? TimeProvider.System, verified);
        if (transmissions is not null)
        {
            transmissions.InnerHandler = handler;
            handler = transmissions;
        }

        // Signing happens per transmission, right above the transport: SCRAM's round trips each carry a fresh signature.
        handler = new SignOnSendHandler { InnerHandler = handler };
        if (scram is not null)
        {
            handler = new ScramHttpHandler(scram, verified) { InnerHandler = handler };
        }

        if (signatures is not null)
        {
            // Outside SCRAM: the response that ends the login is the one verified, against the signature of the last
            // transmission (SignOnSendHandler signs each of SCRAM's round trips afresh).
            handler = new HttpSignatureHandler(signatures) { InnerHandler = handler };
        }

        return new ServerVerificationHandler { InnerHandler = handler };
    }
}
