namespace MutualAuth.Certificates;

/// <summary>
/// What a CRL signed by the right issuer must still satisfy before it decides anything (RFC 5280 §5.2.3, §6.3.3):
/// a cRLNumber that is present and not critical, and a thisUpdate that is not after the validation time.
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

        return crl.ThisUpdate > at ? $"is not in effect before its thisUpdate {crl.ThisUpdate:u}" : null;
    }
}
