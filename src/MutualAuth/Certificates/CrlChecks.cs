using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>
/// What a CRL signed by the right issuer must still satisfy before it decides anything (RFC 5280 §5.2.3, §6.3.3):
/// a cRLNumber that is present and not critical, a partition only of the kinds CA/B BR 7.2.2.1 allows, and a
/// thisUpdate that is not after the validation time.
/// </summary>
internal static class CrlChecks
{
    /// <summary>Why <paramref name="crl"/> cannot be used at <paramref name="at"/>, or <see langword="null"/> when it can.</summary>
    public static string? Unusable(CertificateRevocationList crl, DateTimeOffset at)
    {
        if (crl.CrlNumber is null)
        {
            return "has no cRLNumber extension (RFC 5280 §5.2.3 requires one)";
        }

        if (crl.CrlNumberCritical)
        {
            return "marks its cRLNumber extension critical (RFC 5280 §5.2.3 requires non-critical)";
        }

        if (crl.DistributionPoint is { HasUnsupportedForm: true })
        {
            return "is a partition of a form this validator does not use (issuingDistributionPoint with a relative name, a non-URI name, onlySomeReasons or indirectCRL; CA/B BR 7.2.2.1)";
        }

        return crl.ThisUpdate > at ? $"is not in effect before its thisUpdate {crl.ThisUpdate:u}" : null;
    }

    /// <summary>Why <paramref name="crl"/> does not cover <paramref name="certificate"/> (its issuingDistributionPoint scope), or <see langword="null"/> when it does.</summary>
    public static string? Excludes(CertificateRevocationList crl, X509Certificate2 certificate) =>
        crl.DistributionPoint is { HasUnsupportedForm: false } point ? point.Excludes(certificate) : null;
}
