using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>
/// What the CA puts into a certificate of one kind (basic constraints, key usage, extended key usage, default
/// lifetime); the CA decides these, a request never does.
/// </summary>
public sealed record CertificateProfile
{
    /// <summary>Profile name as stored with every issued certificate (<c>root</c>, <c>intermediate</c>, <c>server</c>, <c>client</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Whether the certificate is a CA certificate (basicConstraints cA=TRUE, critical).</summary>
    public bool IsCertificateAuthority { get; init; }

    /// <summary>For CA certificates, the pathLenConstraint; <see langword="null"/> for none.</summary>
    public int? PathLengthConstraint { get; init; }

    /// <summary>Key usage bits (critical extension).</summary>
    public X509KeyUsageFlags KeyUsage { get; init; }

    /// <summary>Extended key usage OIDs; empty for CA certificates.</summary>
    public IReadOnlyList<string> ExtendedKeyUsages { get; init; } = [];

    /// <summary>Certificate policy OIDs (certificatePolicies extension); empty for none.</summary>
    public IReadOnlyList<string> CertificatePolicies { get; init; } = [];

    /// <summary>Lifetime used when the issuer does not give one.</summary>
    public TimeSpan DefaultLifetime { get; init; }

    /// <summary>The self-signed trust anchor: CA, path length 1, keyCertSign + cRLSign, 10 years.</summary>
    public static CertificateProfile Root { get; } = new()
    {
        Name = "root",
        IsCertificateAuthority = true,
        PathLengthConstraint = 1,
        KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
        DefaultLifetime = TimeSpan.FromDays(3650),
    };

    /// <summary>The issuing CA under the root: CA, path length 0, keyCertSign + cRLSign, 5 years.</summary>
    public static CertificateProfile Intermediate { get; } = new()
    {
        Name = "intermediate",
        IsCertificateAuthority = true,
        PathLengthConstraint = 0,
        KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
        DefaultLifetime = TimeSpan.FromDays(1825),
    };

    /// <summary>A TLS server: digitalSignature, EKU serverAuth only, 90 days.</summary>
    public static CertificateProfile Server { get; } = new()
    {
        Name = "server",
        KeyUsage = X509KeyUsageFlags.DigitalSignature,
        ExtendedKeyUsages = [Oids.ServerAuth],
        DefaultLifetime = TimeSpan.FromDays(90),
    };

    /// <summary>A workload (service-to-service, e.g. a SPIFFE X.509-SVID): digitalSignature, EKU serverAuth and clientAuth, 24 hours.</summary>
    public static CertificateProfile Workload { get; } = new()
    {
        Name = "workload",
        KeyUsage = X509KeyUsageFlags.DigitalSignature,
        ExtendedKeyUsages = [Oids.ServerAuth, Oids.ClientAuth],
        DefaultLifetime = TimeSpan.FromHours(24),
    };

    /// <summary>A TLS client: digitalSignature, EKU clientAuth only, 24 hours (short-lived; renew with <c>ca renew</c>).</summary>
    public static CertificateProfile Client { get; } = new()
    {
        Name = "client",
        KeyUsage = X509KeyUsageFlags.DigitalSignature,
        ExtendedKeyUsages = [Oids.ClientAuth],
        DefaultLifetime = TimeSpan.FromHours(24),
    };

    /// <summary>
    /// A client whose key was generated on a PKCS#11 token (smart card): as <see cref="Client"/>, one year, plus our
    /// hardware-key policy (amr <c>hwk</c>, <c>sc</c>). Only card enrolment uses it: never <c>ca sign</c> or renewal.
    /// </summary>
    public static CertificateProfile Card { get; } = new()
    {
        Name = "card",
        KeyUsage = X509KeyUsageFlags.DigitalSignature,
        ExtendedKeyUsages = [Oids.ClientAuth],
        CertificatePolicies = [Oids.HardwareKeyPolicy],
        DefaultLifetime = TimeSpan.FromDays(365),
    };

    /// <summary>The leaf profile named <paramref name="name"/> (<c>client</c>, <c>server</c>, <c>workload</c>), or <see langword="null"/>.</summary>
    public static CertificateProfile? FindLeaf(string name) => name switch
    {
        "client" => Client,
        "server" => Server,
        "workload" => Workload,
        _ => null,
    };
}
