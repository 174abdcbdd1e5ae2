using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.AspNetCore.MessageSignatures;
using MutualAuth.AspNetCore.Scram;
using MutualAuth.AspNetCore.WebAuthn;
using MutualAuth.Authentication;
using MutualAuth.Certificates;
using MutualAuth.MessageSignatures;
using MutualAuth.Storage;

namespace MutualAuth.Gateway;

/// <summary>What the mutually authenticating gateway (<c>mutualauth serve</c>) runs with.</summary>
public sealed class GatewayOptions
{
    /// <summary>The default listening endpoint, 127.0.0.1:8443.</summary>
    public static readonly IPEndPoint DefaultListen = new(IPAddress.Loopback, 8443);

    /// <summary>Where to listen.</summary>
    public IPEndPoint Listen { get; set; } = DefaultListen;

    /// <summary>The server certificate with its private key. Required.</summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>Intermediates sent after the server certificate.</summary>
    public X509Certificate2Collection ServerCertificateChain { get; } = [];

    /// <summary>Returns the server certificate for each handshake (hot reload); when set, it replaces <see cref="ServerCertificate"/>.</summary>
    public Func<SslStreamCertificateContext>? ServerCertificateSource { get; set; }

    /// <summary>Returns the current client trust policy. Required.</summary>
    public Func<TrustPolicy>? TrustPolicy { get; set; }

    /// <summary>Where accepted requests other than <c>/whoami</c> are proxied, or <see langword="null"/> for none.</summary>
    public Uri? Upstream { get; set; }

    /// <summary>Prefix of the identity headers sent upstream; any request header with it is stripped first.</summary>
    public string IdentityHeaderPrefix { get; set; } = "X-MutualAuth-";

    /// <summary>The CA's CRL file served at <c>GET /ca/crl</c> (DER, <c>application/pkix-crl</c>), or <see langword="null"/>.</summary>
    public string? CrlPath { get; set; }

    /// <summary>
    /// Renews the client's certificate for a public key (<c>POST /ca/renew</c>): the new chain as PEM, or null when it
    /// cannot be renewed here; <see langword="null"/> disables the endpoint.
    /// </summary>
    public Func<X509Certificate2, PublicKey, CancellationToken, Task<string?>>? Renew { get; set; }

    /// <summary>
    /// Which methods each path prefix accepts (see <see cref="GatewayRoute"/>); paths without a route need mutual TLS.
    /// <c>/ca/renew</c> also needs a client certificate, whatever its route says.
    /// </summary>
    public IList<GatewayRoute> Routes { get; } = [];

    /// <summary>SCRAM verifiers, required when a route uses SCRAM.</summary>
    public IScramUserStore? ScramUsers { get; set; }

    /// <summary>The stable secret for unknown users' salts (at least 16 bytes), required when a route uses SCRAM.</summary>
    public byte[]? ScramServerSecret { get; set; }

    /// <summary>Further SCRAM settings (channel binding required, limits, session lifetime).</summary>
    public Action<ScramAuthenticationOptions>? ConfigureScram { get; set; }

    /// <summary>
    /// Keeps the Data Protection key ring (session cookies) where every node finds it (the shared store); null keeps it
    /// in this process's memory, so a session works only on the node that issued it and ends with the process.
    /// </summary>
    internal Action<Microsoft.AspNetCore.DataProtection.IDataProtectionBuilder>? SharedKeyRing { get; set; }

    /// <summary>Finds a usable client key by <c>keyid</c>, required when a route uses HTTP Message Signatures (<c>sig</c>).</summary>
    public Func<string, CancellationToken, ValueTask<SignatureClient?>>? SignatureClients { get; set; }

    /// <summary>Remembers signature nonces (required with <see cref="SignatureClients"/>).</summary>
    public IReplayCache? ReplayCache { get; set; }

    /// <summary>
    /// Returns the <c>keyid</c> and key that sign responses to clients with asymmetric keys (required with
    /// <see cref="SignatureClients"/>); called once.
    /// </summary>
    public Func<(string KeyId, HttpSignatureKey Key)>? ResponseSigningKey { get; set; }

    /// <summary>The built-in OAuth 2.0 authorization server, or <see langword="null"/> for none.</summary>
    internal Tokens.TokenServerOptions? TokenServer { get; set; }

    /// <summary>WebAuthn: the policy and stores (required when a route uses <c>webauthn</c>); the page is served at <c>/webauthn/</c>.</summary>
    public Action<WebAuthnOptions>? ConfigureWebAuthn { get; set; }

    /// <summary>Whether some route uses WebAuthn.</summary>
    internal bool UsesWebAuthn => Routes.Any(r => r.Uses(AuthenticationMethods.WebAuthn));

    /// <summary>Whether some route uses HTTP Message Signatures.</summary>
    internal bool UsesSignatures => Routes.Any(r => r.Uses(AuthenticationMethods.HttpSignature));

    /// <summary>Whether some route accepts a client without mutual TLS (the handshake then lets clients without a certificate in).</summary>
    internal bool AllowsClientsWithoutCertificate => Routes.Any(r => r.Alternatives.Any(a => !a.Contains(AuthenticationMethods.MutualTls)));

    /// <summary>Whether some route uses access tokens.</summary>
    internal bool UsesTokens => Routes.Any(r => r.Uses(AuthenticationMethods.Token));

    /// <summary>Whether some route uses SCRAM.</summary>
    internal bool UsesScram => Routes.Any(r => r.Uses(AuthenticationMethods.Scram));

    /// <summary>Durable audit store, or <see langword="null"/> for log only.</summary>
    public IAuditStore? AuditStore { get; set; }

    /// <summary>
    /// The shared store's availability: while it is not available every authenticated request is answered 503 with
    /// <c>Retry-After</c>; <see langword="null"/> (one node, embedded store) never refuses for it.
    /// </summary>
    public StoreAvailability? StoreAvailability { get; set; }

    /// <summary>Clock (tests use a fake one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks required settings.</summary>
    /// <exception cref="InvalidOperationException">A required setting is missing or invalid.</exception>
    internal void Validate()
    {
        if (ServerCertificateSource is null && (ServerCertificate is null || !ServerCertificate.HasPrivateKey))
        {
            throw new InvalidOperationException("The gateway needs a server certificate with its private key.");
        }

        if (TrustPolicy is null)
        {
            throw new InvalidOperationException("The gateway needs a client trust policy.");
        }

        if (Upstream is not null && Upstream.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"The upstream '{Upstream}' must be an http or https URL.");
        }

        if (UsesScram && (ScramUsers is null || ScramServerSecret is not { Length: >= 16 }))
        {
            throw new InvalidOperationException("Routes that use SCRAM need a user store and a server secret of at least 16 bytes.");
        }

        if (UsesSignatures && (SignatureClients is null || ReplayCache is null || ResponseSigningKey is null))
        {
            throw new InvalidOperationException("Routes that use HTTP Message Signatures need a key resolver, a replay cache and a response-signing key.");
        }

        if (UsesTokens && TokenServer is null)
        {
            throw new InvalidOperationException("Routes that use access tokens need the authorization server (its issuer and keys).");
        }

        if (UsesWebAuthn && ConfigureWebAuthn is null)
        {
            throw new InvalidOperationException("Routes that use WebAuthn need its policy and stores (ConfigureWebAuthn).");
        }

        if (!IdentityHeaders.IsValidPrefix(IdentityHeaderPrefix))
        {
            throw new InvalidOperationException($"The identity header prefix '{IdentityHeaderPrefix}' is not valid (letters, digits and '-', at most 64).");
        }
    }
}
