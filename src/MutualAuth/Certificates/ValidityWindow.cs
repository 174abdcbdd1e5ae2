using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>
/// RFC 5280 §4.1.2.5: a certificate is valid from notBefore through notAfter, both inclusive. OpenSSL (behind
/// <see cref="X509Chain"/> on Linux) counts the exact notAfter second as expired; this puts that second back.
/// </summary>
internal static class ValidityWindow
{
    /// <summary>Whether the chain failed only for time validity and every certificate is within its inclusive window at <paramref name="at"/>.</summary>
    public static bool FailedOnlyAtTheNotAfterBoundary(X509Chain chain, DateTime at)
    {
        var all = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status);
        if (all != X509ChainStatusFlags.NotTimeValid)
        {
            return false;
        }

        foreach (var element in chain.ChainElements)
        {
            var flags = element.ChainElementStatus.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status);
            var certificate = element.Certificate;
            if ((flags & ~X509ChainStatusFlags.NotTimeValid) != 0
                || at < certificate.NotBefore.ToUniversalTime() || at > certificate.NotAfter.ToUniversalTime())
            {
                return false;
            }
        }

        return true;
    }
}
