namespace MutualAuth.Authentication;

/// <summary>The reason codes of certificate authentication (mTLS, <c>mutualauth verify</c>), one per <c>ChainFailureReason</c>.</summary>
public static class CertificateReasons
{
    /// <summary>No certificate was presented.</summary>
    public static readonly ReasonCode NoCertificate = new("no-certificate");

    /// <summary>A certificate of the chain has expired.</summary>
    public static readonly ReasonCode Expired = new("expired");

    /// <summary>A certificate of the chain is not valid yet.</summary>
    public static readonly ReasonCode NotYetValid = new("not-yet-valid");

    /// <summary>The chain does not end at a configured trust anchor.</summary>
    public static readonly ReasonCode UntrustedRoot = new("untrusted-root");

    /// <summary>A signature in the chain does not verify.</summary>
    public static readonly ReasonCode BadSignature = new("bad-signature");

    /// <summary>The leaf lacks the required extended key usage.</summary>
    public static readonly ReasonCode EkuMissing = new("eku-missing");

    /// <summary>A key usage does not allow the certificate's role.</summary>
    public static readonly ReasonCode KeyUsage = new("key-usage");

    /// <summary>Basic constraints are missing or violated.</summary>
    public static readonly ReasonCode InvalidBasicConstraints = new("invalid-basic-constraints");

    /// <summary>A name violates a CA's name constraints.</summary>
    public static readonly ReasonCode NameConstraintViolation = new("name-constraint-violation");

    /// <summary>The chain is longer than allowed.</summary>
    public static readonly ReasonCode ChainTooLong = new("chain-too-long");

    /// <summary>A certificate is revoked.</summary>
    public static readonly ReasonCode Revoked = new("revoked");

    /// <summary>A CRL is required but missing.</summary>
    public static readonly ReasonCode CrlMissing = new("crl-missing");

    /// <summary>A CRL is past its nextUpdate.</summary>
    public static readonly ReasonCode CrlStale = new("crl-stale");

    /// <summary>The certificate does not name the expected host.</summary>
    public static readonly ReasonCode NameMismatch = new("name-mismatch");

    /// <summary>No configured SPKI pin matches.</summary>
    public static readonly ReasonCode PinMismatch = new("pin-mismatch");

    /// <summary>No allow-rule admits the certificate.</summary>
    public static readonly ReasonCode NotAllowed = new("not-allowed");

    /// <summary>An extended key usage is not allowed for the role.</summary>
    public static readonly ReasonCode ExtendedKeyUsageNotAllowed = new("eku-not-allowed");

    /// <summary>An extension is invalid or an unknown critical one.</summary>
    public static readonly ReasonCode InvalidExtension = new("invalid-extension");

    /// <summary>The serial number is not a valid one.</summary>
    public static readonly ReasonCode InvalidSerialNumber = new("invalid-serial");

    /// <summary>A signature or key algorithm is forbidden.</summary>
    public static readonly ReasonCode ForbiddenAlgorithm = new("forbidden-algorithm");

    /// <summary>A certificate cannot be parsed.</summary>
    public static readonly ReasonCode Malformed = new("malformed");

    /// <summary>Any other chain failure.</summary>
    public static readonly ReasonCode InvalidChain = new("invalid-chain");

    /// <summary>The issuer's CRL cannot be used (cRLNumber missing or critical, not yet in effect).</summary>
    public static readonly ReasonCode CrlInvalid = new("crl-invalid");

    /// <summary>A name in a certificate is malformed for its type, or the subject CN is not one of the SANs.</summary>
    public static readonly ReasonCode InvalidName = new("invalid-name");

    /// <summary>A valid certificate on a route that needs a key held on a token (<c>mtls:hwk</c>), without our CA's hardware-key policy.</summary>
    public static readonly ReasonCode HardwareKeyRequired = new("hardware-key-required");

    /// <summary>Every code of certificate authentication, <see cref="ReasonCode.Ok"/> first.</summary>
    public static readonly IReadOnlyList<ReasonCode> All =
    [
        ReasonCode.Ok, NoCertificate, Expired, NotYetValid, UntrustedRoot, BadSignature, EkuMissing, KeyUsage, InvalidBasicConstraints,
        NameConstraintViolation, ChainTooLong, Revoked, CrlMissing, CrlStale, NameMismatch, PinMismatch, NotAllowed,
        ExtendedKeyUsageNotAllowed, InvalidExtension, InvalidSerialNumber, ForbiddenAlgorithm, Malformed, InvalidChain,
        CrlInvalid, InvalidName, HardwareKeyRequired,
    ];
}
