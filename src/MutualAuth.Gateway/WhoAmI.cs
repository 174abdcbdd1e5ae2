using MutualAuth.Authentication;
using MutualAuth.Certificates;

namespace MutualAuth.Gateway;

/// <summary>The JSON body of <c>GET /whoami</c>.</summary>
internal sealed record WhoAmI
{
    /// <summary>The subject.</summary>
    public required string Subject { get; init; }

    /// <summary>The methods that authenticated the request, joined by <c>+</c> (<c>mtls</c>, <c>scram</c>, <c>mtls+scram</c>).</summary>
    public required string Method { get; init; }

    /// <summary>RFC 8176 amr values.</summary>
    public required IReadOnlyList<string> Amr { get; init; }

    /// <summary>Certificate serial (upper-case hex), when a certificate authenticated the request.</summary>
    public string? Serial { get; init; }

    /// <summary>Certificate subject DN.</summary>
    public string? DistinguishedName { get; init; }

    /// <summary>Certificate issuer DN.</summary>
    public string? Issuer { get; init; }

    /// <summary>Certificate notAfter.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>All SANs by type.</summary>
    public required WhoAmISans Sans { get; init; }

    /// <summary>On a route that needed several methods together, what each of them established; left out otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AuthenticationFactor>? Factors { get; init; }

    /// <summary>Builds the body for <paramref name="identity"/>.</summary>
    public static WhoAmI From(MutualIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        // The certificate fields come from the certificate evidence: a certificate authenticated the request (its
        // credential id is then the serial), whatever the method name says (mtls, mtls+scram…).
        var certificate = identity.Evidence as CertificateEvidence;
        var names = certificate?.Names ?? new SubjectAlternativeNames();
        return new WhoAmI
        {
            Subject = identity.Subject,
            Method = identity.Method,
            Amr = identity.Amr,
            Serial = certificate is null ? null : identity.CredentialId,
            DistinguishedName = certificate?.DistinguishedName,
            Issuer = certificate?.Issuer,
            NotAfter = certificate?.NotAfter,
            Sans = new WhoAmISans(names.DnsNames, names.IpAddresses, names.Uris, names.EmailAddresses),
            Factors = identity.Factors.Count > 0 ? identity.Factors : null,
        };
    }
}

/// <summary>SANs in <see cref="WhoAmI"/>.</summary>
/// <param name="Dns">DNS names.</param>
/// <param name="Ip">IP addresses.</param>
/// <param name="Uri">URIs.</param>
/// <param name="Email">E-mail addresses.</param>
internal sealed record WhoAmISans(IReadOnlyList<string> Dns, IReadOnlyList<string> Ip, IReadOnlyList<string> Uri, IReadOnlyList<string> Email);
