using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Storage;

/// <summary>A certificate the CA issued, with its status.</summary>
public sealed record IssuedCertificateRecord
{
    /// <summary>Serial as normalised upper-case hex.</summary>
    public required string SerialNumber { get; init; }

    /// <summary>Identity name (folder under <c>identities/</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Subject distinguished name.</summary>
    public required string Subject { get; init; }

    /// <summary>SANs as <c>DNS:…</c>, <c>IP:…</c>, <c>URI:…</c>, <c>email:…</c>.</summary>
    public required IReadOnlyList<string> SubjectAlternativeNames { get; init; }

    /// <summary>Profile name (<c>server</c>, <c>client</c>).</summary>
    public required string Profile { get; init; }

    /// <summary>Start of validity.</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>End of validity.</summary>
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>The certificate in PEM.</summary>
    public required string CertificatePem { get; init; }

    /// <summary>When it was revoked, if it was.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Why it was revoked.</summary>
    public X509RevocationReason? RevocationReason { get; init; }

    /// <summary><c>revoked</c>, <c>expired</c> (as of <paramref name="now"/>) or <c>valid</c>.</summary>
    public string StatusAt(DateTimeOffset now) => RevokedAt is not null ? "revoked" : NotAfter <= now ? "expired" : "valid";
}
