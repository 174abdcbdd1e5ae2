using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>One revoked certificate as listed in a CRL (RFC 5280 §5.1.2.6).</summary>
/// <param name="SerialNumber">Serial number as upper-case hex without leading zero bytes (see <see cref="SerialNumbers.Normalize"/>).</param>
/// <param name="RevokedAt">Revocation date.</param>
/// <param name="Reason">RFC 5280 §5.3.1 reason code, when given.</param>
public sealed record RevokedCertificate(string SerialNumber, DateTimeOffset RevokedAt, X509RevocationReason? Reason);
