namespace MutualAuth.Certificates;

/// <summary>Which certificates are checked against the CRLs a <see cref="TrustPolicy"/> holds. CRLs are never fetched from the network.</summary>
public enum RevocationMode
{
    /// <summary>The leaf is checked against its issuer's CRL (the default).</summary>
    EndEntity,

    /// <summary>Every certificate below the trust anchor is checked.</summary>
    EntireChain,

    /// <summary>No revocation checking.</summary>
    None,
}
