namespace MutualAuth.Certificates;

/// <summary>Object identifiers used by the certificate code (RFC 5280 §4.2.1.12 and friends).</summary>
internal static class Oids
{
    /// <summary>id-kp-serverAuth.</summary>
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    /// <summary>id-kp-clientAuth.</summary>
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>id-ce-subjectAltName.</summary>
    public const string SubjectAltName = "2.5.29.17";

    /// <summary>id-ce-cRLNumber.</summary>
    public const string CrlNumber = "2.5.29.20";

    /// <summary>id-ce-certificatePolicies (RFC 5280 §4.2.1.4).</summary>
    public const string CertificatePolicies = "2.5.29.32";

    /// <summary>
    /// Our certificate policy "the key is held in hardware (a PKCS#11 token) and was generated there": a UUID OID
    /// (ITU-T X.667, no registration needed). Only card enrolment puts it in a certificate; the validator maps it to
    /// <c>amr</c> <c>hwk</c> + <c>sc</c>.
    /// </summary>
    public const string HardwareKeyPolicy = "2.25.177305944776103130759526161650921038078";
}
