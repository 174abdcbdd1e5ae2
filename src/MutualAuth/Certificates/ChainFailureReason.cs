namespace MutualAuth.Certificates;

/// <summary>Why a certificate chain was refused. Each value has a stable kebab-case code (<see cref="ChainFailureReasonCodes.ToCode"/>) used in logs, audit events and <c>mutualauth verify</c>.</summary>
public enum ChainFailureReason
{
    /// <summary>The chain was accepted.</summary>
    None,

    /// <summary><c>no-certificate</c>: the peer sent no certificate.</summary>
    NoCertificate,

    /// <summary><c>expired</c>: a certificate's notAfter is in the past.</summary>
    Expired,

    /// <summary><c>not-yet-valid</c>: a certificate's notBefore is in the future.</summary>
    NotYetValid,

    /// <summary><c>untrusted-root</c>: the chain does not end at a configured trust anchor.</summary>
    UntrustedRoot,

    /// <summary><c>bad-signature</c>: a signature in the chain does not verify.</summary>
    BadSignature,

    /// <summary><c>eku-missing</c>: the leaf lacks the extended key usage for this purpose (clientAuth or serverAuth).</summary>
    EkuMissing,

    /// <summary><c>key-usage</c>: key usage does not permit the operation (e.g. leaf without digitalSignature).</summary>
    KeyUsage,

    /// <summary><c>invalid-basic-constraints</c>: a CA flag or path length constraint is broken.</summary>
    InvalidBasicConstraints,

    /// <summary><c>name-constraint-violation</c>: a name violates an issuer's name constraints.</summary>
    NameConstraintViolation,

    /// <summary><c>chain-too-long</c>: more certificates than the policy's maximum depth.</summary>
    ChainTooLong,

    /// <summary><c>revoked</c>: a certificate is listed on its issuer's CRL.</summary>
    Revoked,

    /// <summary><c>crl-missing</c>: no CRL from the issuer that covers the certificate is held and the policy requires one.</summary>
    CrlMissing,

    /// <summary><c>crl-stale</c>: the held CRL is past its nextUpdate.</summary>
    CrlStale,

    /// <summary><c>name-mismatch</c>: the server certificate does not name the expected host.</summary>
    NameMismatch,

    /// <summary><c>pin-mismatch</c>: no public key in the chain matches a configured SPKI pin.</summary>
    PinMismatch,

    /// <summary><c>not-allowed</c>: the certificate is valid but matches none of the allow-rules.</summary>
    NotAllowed,

    /// <summary><c>eku-not-allowed</c>: an EKU extension is where it must not be (critical on a leaf, anyExtendedKeyUsage on a leaf, any EKU on a trust anchor).</summary>
    ExtendedKeyUsageNotAllowed,

    /// <summary><c>invalid-extension</c>: a required extension is missing or an extension is malformed or misplaced (AKI, SKI, SAN, name constraints, AIA).</summary>
    InvalidExtension,

    /// <summary><c>invalid-serial</c>: a serial number is zero, negative or longer than 20 octets.</summary>
    InvalidSerialNumber,

    /// <summary><c>forbidden-algorithm</c>: a signature or key algorithm outside the allow-list (e.g. DSA, SHA-1, RSA under 2048 bits).</summary>
    ForbiddenAlgorithm,

    /// <summary><c>malformed</c>: the certificate could not be parsed.</summary>
    Malformed,

    /// <summary><c>invalid-chain</c>: any other path validation failure.</summary>
    InvalidChain,

    /// <summary><c>crl-invalid</c>: the issuer's CRL cannot be used (cRLNumber missing or critical, not yet in effect, a partition form CA/B BR 7.2.2.1 forbids).</summary>
    CrlInvalid,

    /// <summary><c>invalid-name</c>: a name in a certificate is not well-formed for its type (DNS name with '_' or an empty label, wildcard over a public suffix, malformed e-mail) or the subject CN is not one of the SANs.</summary>
    InvalidName,
}
