using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Keys;

namespace MutualAuth.Certificates;

/// <summary>
/// Per-certificate rules of RFC 5280 and the CA/Browser Forum baseline that <see cref="X509Chain"/> does not
/// enforce: serial numbers, signature and key algorithms, key identifiers, basic constraints on every CA
/// (trust anchors included), name constraints only critical and only on CAs, EKU placement, SAN
/// criticality and well-formed AIA. Applied to every certificate of a built path.
/// </summary>
internal static class CertificateRules
{
    private const string AuthorityInfoAccessOid = "1.3.6.1.5.5.7.1.1";
    private const string NameConstraintsOid = "2.5.29.30";
    private const string PolicyConstraintsOid = "2.5.29.36";
    private const string ExtendedKeyUsageOid = "2.5.29.37";
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    private static readonly HashSet<string> AllowedSignatureAlgorithms =
    [
        "1.2.840.10045.4.3.2", // ecdsa-with-SHA256
        "1.2.840.10045.4.3.3", // ecdsa-with-SHA384
        "1.2.840.10045.4.3.4", // ecdsa-with-SHA512
        "1.2.840.113549.1.1.11", // sha256WithRSAEncryption
        "1.2.840.113549.1.1.12", // sha384WithRSAEncryption
        "1.2.840.113549.1.1.13", // sha512WithRSAEncryption
        "1.2.840.113549.1.1.10", // RSASSA-PSS
    ];

    /// <summary>Checks the path from leaf (index 0) to trust anchor (last).</summary>
    /// <returns>The first violation, or <see langword="null"/>.</returns>
    /// <param name="path">The path.</param>
    /// <param name="subjects">The subjects, for the result.</param>
    /// <param name="webPki">Whether the web-PKI profile applies (a trust anchor's name constraints may be non-critical).</param>
    public static ChainValidationResult? Check(IReadOnlyList<CertificateView> path, IReadOnlyList<string> subjects, bool webPki = false)
    {
        for (var i = 0; i < path.Count; i++)
        {
            var certificate = path[i];
            var role = new CertificateRole(certificate, i, path.Count);
            var isAnchor = role.IsAnchor;
            // A trust anchor is trusted for its name and key (RFC 5280 §6.1.1 (d)): its own serial number is not judged.
            var failure = (isAnchor && i > 0 ? null : CheckSerial(certificate, role))
                ?? CheckAlgorithms(certificate, role, isAnchor)
                ?? CheckKeyIdentifiers(certificate, role, isLeaf: i == 0, isAnchor)
                ?? (i == 0 ? CheckLeaf(certificate, role) : CheckAuthority(certificate, role, isAnchor, webPki))
                ?? CheckSubjectAlternativeName(certificate, role)
                ?? CheckAuthorityInformationAccess(certificate, role)
                ?? (i == 0 ? NameRules.CheckLeafNames(certificate, role) : NameRules.CheckConstraintsExtension(certificate, role))
                ?? CheckPolicyConstraints(certificate, role);
            if (failure is not null)
            {
                return ChainValidationResult.Fail(failure.Value.Reason, failure.Value.Detail, subjects);
            }
        }

        return NameRules.CheckWildcardsAgainstExclusions(path) is { } wildcard
            ? ChainValidationResult.Fail(wildcard.Reason, wildcard.Detail, subjects)
            : null;
    }

    private static (ChainFailureReason Reason, string Detail)? CheckSerial(CertificateView certificate, CertificateRole role)
    {
        var serial = certificate.SerialNumber.Span;
        var positive = serial.Length > 0 && (serial[0] & 0x80) == 0 && serial.IndexOfAnyExcept((byte)0) >= 0;
        var contentLength = serial.Length > 1 && serial[0] == 0 ? serial.Length - 1 : serial.Length;
        return positive && contentLength <= 20
            ? null
            : (ChainFailureReason.InvalidSerialNumber, $"{role} has serial number {Convert.ToHexString(serial)}; serials must be positive and at most 20 octets (RFC 5280 §4.1.2.2).");
    }

    private static (ChainFailureReason Reason, string Detail)? CheckAlgorithms(CertificateView certificate, CertificateRole role, bool isAnchor)
    {
        // A trust anchor is trusted by configuration, not by its self-signature, so only its key is checked.
        var signature = certificate.SignatureAlgorithm;
        if (!isAnchor && !AllowedSignatureAlgorithms.Contains(signature))
        {
            return (ChainFailureReason.ForbiddenAlgorithm, $"{role} is signed with {new Oid(signature).FriendlyName ?? signature}, which is not allowed (ECDSA or RSA with SHA-2 only).");
        }

        // Read from the subjectPublicKeyInfo itself: creating a key object per certificate (and exporting its
        // parameters) cost as much as a tenth of the chain build.
        switch (certificate.KeyAlgorithm)
        {
            case RsaEncryptionOid:
                var bits = RsaModulusBits(certificate.PublicKey);
                return bits < 0 ? (ChainFailureReason.ForbiddenAlgorithm, $"{role} has a malformed RSA public key.")
                    : bits < 2048 ? (ChainFailureReason.ForbiddenAlgorithm, $"{role} has a {bits}-bit RSA key; at least 2048 bits are required.")
                    : bits % 8 != 0 ? (ChainFailureReason.ForbiddenAlgorithm, $"{role} has a {bits}-bit RSA modulus; its length must be a whole number of octets.")
                    : null;
            case EcPublicKeyOid when NamedCurve(certificate.KeyParameters) is (Curves.P256 or Curves.P384 or Curves.P521) and var curve
                && IsEcPoint(certificate.PublicKey, curve):
                return null;
            default:
                return (ChainFailureReason.ForbiddenAlgorithm, $"{role} has a {new Oid(certificate.KeyAlgorithm).FriendlyName ?? certificate.KeyAlgorithm} key; only RSA and ECDSA P-256/P-384/P-521 keys are allowed.");
        }
    }

    /// <summary>The bit length of an RSAPublicKey's modulus (RFC 8017 A.1.1), or -1 when it is malformed.</summary>
    private static int RsaModulusBits(byte[] rsaPublicKey)
    {
        try
        {
            var reader = new AsnReader(rsaPublicKey, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var modulus = sequence.ReadIntegerBytes().Span;
            sequence.ReadIntegerBytes();
            sequence.ThrowIfNotEmpty();
            var start = modulus.IndexOfAnyExcept((byte)0);
            return start < 0 || (modulus[0] & 0x80) != 0 ? -1
                : ((modulus.Length - start) * 8) - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus[start]) + 24;
        }
        catch (AsnContentException)
        {
            return -1;
        }
    }

    /// <summary>The named curve OID of id-ecPublicKey parameters (RFC 5480 §2.1.1), or null for explicit or malformed parameters.</summary>
    private static string? NamedCurve(ReadOnlyMemory<byte>? encoded)
    {
        if (encoded is not { } parameters)
        {
            return null;
        }

        try
        {
            var reader = new AsnReader(parameters, AsnEncodingRules.DER);
            var oid = reader.ReadObjectIdentifier();
            reader.ThrowIfNotEmpty();
            return oid;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>Whether the public key is an EC point of the curve's size, compressed or not (SEC 1 §2.3.3).</summary>
    private static bool IsEcPoint(byte[] point, string curve)
    {
        var size = curve switch { Curves.P256 => 32, Curves.P384 => 48, _ => 66 };
        return point.Length > 0 && (point[0] == 4 ? point.Length == 1 + (2 * size) : point[0] is 2 or 3 && point.Length == 1 + size);
    }

    private static (ChainFailureReason Reason, string Detail)? CheckKeyIdentifiers(CertificateView certificate, CertificateRole role, bool isLeaf, bool isAnchor)
    {
        var authorityKey = certificate.AuthorityKeyIdentifier;
        var selfSigned = certificate.IsSelfIssued;
        if (authorityKey is not null && authorityKey.KeyIdentifier is null)
        {
            return (ChainFailureReason.InvalidExtension, $"{role} has an authorityKeyIdentifier without a keyIdentifier (RFC 5280 §4.2.1.1).");
        }

        if (authorityKey is null && !(isAnchor && selfSigned))
        {
            return (ChainFailureReason.InvalidExtension, $"{role} has no authorityKeyIdentifier (RFC 5280 §4.2.1.1).");
        }

        return !isLeaf && certificate.SubjectKeyIdentifier is null
            ? (ChainFailureReason.InvalidExtension, $"{role} is a CA without a subjectKeyIdentifier (RFC 5280 §4.2.1.2).")
            : null;
    }

    private static (ChainFailureReason Reason, string Detail)? CheckLeaf(CertificateView certificate, CertificateRole role)
    {
        if ((certificate.KeyUsages & (X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign)) is not (null or X509KeyUsageFlags.None))
        {
            return (ChainFailureReason.KeyUsage, $"{role} is an end-entity certificate with keyCertSign or cRLSign key usage.");
        }

        if (certificate.Find(NameConstraintsOid) is not null)
        {
            return (ChainFailureReason.InvalidExtension, $"{role} is an end-entity certificate with name constraints (allowed on CAs only).");
        }

        if (certificate.Find(ExtendedKeyUsageOid) is { Critical: true })
        {
            return (ChainFailureReason.ExtendedKeyUsageNotAllowed, $"{role} has a critical extended key usage extension.");
        }

        return certificate.ExtendedKeyUsages?.Contains("2.5.29.37.0") == true
            ? (ChainFailureReason.ExtendedKeyUsageNotAllowed, $"{role} allows anyExtendedKeyUsage; a TLS certificate must name its purposes.")
            : null;
    }

    private static (ChainFailureReason Reason, string Detail)? CheckAuthority(CertificateView certificate, CertificateRole role, bool isAnchor, bool webPki)
    {
        var basic = certificate.BasicConstraints;
        if (basic is not { CertificateAuthority: true, Critical: true })
        {
            return (ChainFailureReason.InvalidBasicConstraints, $"{role} is used as a CA but lacks a critical basicConstraints extension with cA=TRUE.");
        }

        if (!(isAnchor && webPki) && certificate.Find(NameConstraintsOid) is { Critical: false })
        {
            return (ChainFailureReason.NameConstraintViolation, $"{role} has a non-critical name constraints extension (RFC 5280 §4.2.1.10 requires critical).");
        }

        return isAnchor && certificate.Find(ExtendedKeyUsageOid) is not null
            ? (ChainFailureReason.ExtendedKeyUsageNotAllowed, $"{role} carries an extended key usage extension, which a root must not.")
            : null;
    }

    private static (ChainFailureReason Reason, string Detail)? CheckSubjectAlternativeName(CertificateView certificate, CertificateRole role) =>
        certificate.Find(Oids.SubjectAltName) switch
        {
            { Critical: true } when certificate.Subject.Length > 2 =>
                (ChainFailureReason.InvalidExtension, $"{role} has a critical subjectAltName although its subject is not empty (RFC 5280 §4.2.1.6)."),
            { Critical: false } when certificate.Subject.Length <= 2 =>
                (ChainFailureReason.InvalidExtension, $"{role} has an empty subject and a non-critical subjectAltName (RFC 5280 §4.2.1.6 requires it critical)."),
            _ => null,
        };

    private static (ChainFailureReason Reason, string Detail)? CheckPolicyConstraints(CertificateView certificate, CertificateRole role) =>
        certificate.Find(PolicyConstraintsOid) is { Critical: false }
            ? (ChainFailureReason.InvalidExtension, $"{role} has a non-critical policyConstraints extension (RFC 5280 §4.2.1.11 requires critical).")
            : null;

    private static (ChainFailureReason Reason, string Detail)? CheckAuthorityInformationAccess(CertificateView certificate, CertificateRole role)
    {
        if (certificate.Find(AuthorityInfoAccessOid) is not { } extension)
        {
            return null;
        }

        try
        {
            var reader = new AsnReader(extension.Value, AsnEncodingRules.DER);
            var descriptions = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var count = 0;
            while (descriptions.HasData)
            {
                var description = descriptions.ReadSequence();
                description.ReadObjectIdentifier();
                description.ReadEncodedValue();
                description.ThrowIfNotEmpty();
                count++;
            }

            return count > 0 ? null : (ChainFailureReason.InvalidExtension, $"{role} has an empty authorityInfoAccess extension.");
        }
        catch (AsnContentException)
        {
            return (ChainFailureReason.InvalidExtension, $"{role} has a malformed authorityInfoAccess extension.");
        }
    }
}
