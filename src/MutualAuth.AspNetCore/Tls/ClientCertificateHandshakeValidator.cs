using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using MutualAuth.AspNetCore.Audit;
using MutualAuth.Authentication;
using MutualAuth.Certificates;

namespace MutualAuth.AspNetCore.Tls;

/// <summary>
/// Validates client certificates inside the TLS handshake (with the intermediates the peer sent), audits every
/// decision and leaves a <see cref="HandshakeValidation"/> in the connection items for the authentication handler.
/// </summary>
// Inside the handshake, so a refused peer never gets to send an HTTP request.
// A resumed TLS 1.3 session is validated too: on Linux (.NET 10, OpenSSL 3) SslStream calls the validation callback
// on a resumed handshake with the session's client certificate, but without the intermediates the client sent in the
// full handshake (a resumed handshake has no Certificate message). When the client offered a session to resume
// (a pre_shared_key in its ClientHello, see ClientHelloMiddleware) and no intermediates came, the ones that
// certificate was last validated with are used (ResumptionIntermediates). Either way the certificate is checked
// against the current trust policy, so a CRL reloaded since the ticket was issued applies; ChainValidationCache makes
// that cheap while the policy is unchanged.
// No database is consulted here, by design, so a store outage cannot stall or crash handshakes: revocations reach the
// handshake as the CRL files the node holds (signed, with a nextUpdate after which RequireCrl refuses as crl-stale).
// With a shared store the node cannot learn of revocations made elsewhere while it cannot reach the database, so it
// fails closed one step later: the gateway answers every authenticated request 503 (StoreOutage) until the database
// answers again. The handshake completes; no request is accepted on it.
internal sealed class ClientCertificateHandshakeValidator
{
    private readonly Func<TrustPolicy> _policy;
    private readonly ChainValidationCache _validator;
    private readonly ResumptionIntermediates _intermediates = new();

    /// <summary>What is remembered for resumed sessions (for tests).</summary>
    internal ResumptionIntermediates Intermediates => _intermediates;
    private readonly IAuditSink _audit;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates the validator.</summary>
    /// <param name="policy">Returns the current trust policy (called per handshake).</param>
    /// <param name="audit">Where decisions are recorded.</param>
    /// <param name="logger">Log for refusal reasons.</param>
    /// <param name="timeProvider">Clock.</param>
    public ClientCertificateHandshakeValidator(Func<TrustPolicy> policy, IAuditSink audit, ILogger<ClientCertificateHandshakeValidator> logger, TimeProvider timeProvider)
    {
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _validator = new ChainValidationCache(timeProvider);
    }

    /// <summary>
    /// Makes <paramref name="ssl"/> ask for a client certificate and validate it here; a presented one must pass, and with
    /// <paramref name="allowNoCertificate"/> a client may present none.
    /// </summary>
    /// <param name="connection">The connection being authenticated (its items receive the decision).</param>
    /// <param name="ssl">The server options for this handshake.</param>
    /// <param name="allowNoCertificate">Accept handshakes without a client certificate.</param>
    public void Apply(ConnectionContext connection, SslServerAuthenticationOptions ssl, bool allowNoCertificate = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(ssl);
        ssl.ClientCertificateRequired = true;
        ssl.CertificateRevocationCheckMode = X509RevocationMode.NoCheck;
        ssl.CertificateChainPolicy = PlatformChainPolicy();
        ssl.RemoteCertificateValidationCallback = (_, certificate, chain, _) => (certificate is null && allowNoCertificate) || Validate(connection, certificate, chain);
    }

    /// <summary>The policy of the X509Chain that SslStream builds before the validation callback: no anchors, no revocation, no downloads.</summary>
    // Its verdict is not used (Validate decides, with the trust policy), so it is made as cheap and as inert as
    // possible: the build stops at the certificates the peer sent and, above all, with the platform's default policy a
    // client certificate's AIA URL would be fetched, synchronously, inside the handshake. Measured: about 80 µs instead
    // of 520 µs per handshake. A new instance per handshake, because SslStream adds the peer's certificates to it.
    private static X509ChainPolicy PlatformChainPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
            VerificationTimeIgnored = true,
        };
        policy.ApplicationPolicy.Add(new Oid(Certificates.Oids.ClientAuth));
        return policy;
    }

    private static MutualIdentity? TryIdentity(X509Certificate2? certificate)
    {
        try
        {
            return certificate is null ? null : MutualIdentity.FromCertificate(certificate);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Refusals that depend on the trust state of the moment (revocation, CRL freshness, allow-rules, pins).</summary>
    // These checks come only after the path to a trust anchor verified, so the certificate was issued under the
    // policy's anchors; its intermediates are remembered too, so that a resumption of its session (SslStream may have
    // issued a ticket before the refusal) is refused for the same reason rather than for a missing chain.
    private static bool RefusedByTrustState(ChainFailureReason reason) =>
        reason is ChainFailureReason.Revoked or ChainFailureReason.CrlMissing or ChainFailureReason.CrlStale or ChainFailureReason.NotAllowed or ChainFailureReason.PinMismatch;

    private bool Validate(ConnectionContext connection, X509Certificate? presented, X509Chain? chain)
    {
        var certificate = presented as X509Certificate2 ?? (presented is null ? null : X509CertificateLoader.LoadCertificate(presented.GetRawCertData()));
        IReadOnlyList<X509Certificate2> peerCertificates = chain?.ChainPolicy.ExtraStore.Cast<X509Certificate2>().ToList() ?? [];
        var sentIntermediates = peerCertificates.Count > 0;
        if (certificate is not null && !sentIntermediates && ClientHelloMiddleware.OfferOf(connection).OffersPreSharedKey)
        {
            peerCertificates = _intermediates.Recall(certificate);
        }

        var result = _validator.Validate(certificate, peerCertificates, _policy());
        var peer = PeerAddresses.Format(connection.RemoteEndPoint);
        var identity = TryIdentity(certificate);
        if (result.IsValid && identity is null)
        {
            result = new ChainValidationResult { Reason = ChainFailureReason.Malformed, Detail = "The certificate's subject alternative names cannot be parsed." };
        }

        if (sentIntermediates && (result.IsValid || RefusedByTrustState(result.Reason)))
        {
            // Only the certificates the verified path used: whatever else the peer sent is never kept.
            _intermediates.Remember(certificate!, [.. peerCertificates.Where(c => result.ChainThumbprints.Contains(c.GetCertHashString(HashAlgorithmName.SHA256)))]);
        }

        if (result.IsValid)
        {
            connection.Items[typeof(HandshakeValidation)] = new HandshakeValidation(certificate!, result, identity);
            Log.HandshakeAccepted(_logger, peer, LogText.Escape(identity!.Subject), identity.CredentialId);
        }
        else
        {
            Log.HandshakeRefused(_logger, peer ?? "-", result.Code, LogText.Escape(result.Detail));
        }

        _audit.Record(_time, AuthenticationMethods.MutualTls, result.IsValid ? AuditDecision.Accept : AuditDecision.Refuse, peer,
            identity?.Subject, identity?.CredentialId, result.Reason.ToReasonCode(), result.Detail, identity?.Amr);
        return result.IsValid;
    }
}
