namespace MutualAuth.Certificates;

/// <summary>What the validated certificate is used for; decides the required EKU (RFC 5280 §4.2.1.12).</summary>
public enum CertificatePurpose
{
    /// <summary>A TLS client: requires id-kp-clientAuth.</summary>
    ClientAuthentication,

    /// <summary>A TLS server: requires id-kp-serverAuth and a name match.</summary>
    ServerAuthentication,
}
