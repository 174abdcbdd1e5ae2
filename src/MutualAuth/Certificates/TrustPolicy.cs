using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>
/// What <see cref="ChainValidator"/> decides with: explicit trust anchors, intermediates, local CRLs, purpose,
/// allow-rules and SPKI pins. Immutable: swap the whole object to reload material.
/// </summary>
public sealed record TrustPolicy
{
    /// <summary>The largest number of certificates in a chain, leaf and anchor included, by default.</summary>
    public const int DefaultMaxChainLength = 5;

    /// <summary>The certificates a chain must end at.</summary>
    public required X509Certificate2Collection TrustAnchors { get; init; }

    /// <summary>Intermediates known in advance; the ones the peer sends are used as well.</summary>
    public X509Certificate2Collection Intermediates { get; init; } = [];

    /// <summary>CRLs held locally (RFC 5280 §5); a CRL is used only when its issuer signed it.</summary>
    public IReadOnlyList<CertificateRevocationList> Crls { get; init; } = [];

    /// <summary>What the certificate must be good for.</summary>
    public CertificatePurpose Purpose { get; init; } = CertificatePurpose.ClientAuthentication;

    /// <summary>Which certificates are checked for revocation.</summary>
    public RevocationMode Revocation { get; init; } = RevocationMode.EndEntity;

    /// <summary>When <see langword="true"/> (the default) a certificate in revocation scope whose issuer has no current CRL here is refused (<c>crl-missing</c> / <c>crl-stale</c>).</summary>
    public bool RequireCrl { get; init; } = true;

    /// <summary>Allow-rules applied after the chain is valid.</summary>
    public PeerRules AllowRules { get; init; } = PeerRules.AllowAny;

    /// <summary>SPKI pins; when any are set, one key in the validated chain must match one of them, in addition to every other check.</summary>
    public IReadOnlyList<SpkiPin> Pins { get; init; } = [];

    /// <summary>The largest number of certificates in a chain, leaf and anchor included.</summary>
    public int MaxChainLength { get; init; } = DefaultMaxChainLength;

    /// <summary>Also trust the operating system's root store (tried after <see cref="TrustAnchors"/>). Off by default.</summary>
    public bool UseSystemTrustStore { get; init; }

    /// <summary>The EKU OID required by <see cref="Purpose"/>.</summary>
    public string RequiredEku => Purpose == CertificatePurpose.ServerAuthentication ? Oids.ServerAuth : Oids.ClientAuth;
}
