using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>
/// Candidate certification paths from a leaf to a trust anchor (RFC 4158): a bounded depth-first search over every
/// certificate whose subject is the current certificate's issuer and whose subjectKeyIdentifier, when both sides
/// have one, equals its authorityKeyIdentifier. Cycle-safe (a certificate appears at most once in a path) and capped:
/// at most <see cref="MaxIssuerChecks"/> issuer comparisons and <see cref="MaxCandidatePaths"/> paths, so the work a
/// peer can force with crafted intermediates (cross-signed cycles, many look-alikes) is bounded. Signatures and every
/// other rule are checked by <see cref="ChainValidator"/> on each candidate.
/// </summary>
internal static class PathBuilder
{
    /// <summary>The most candidate paths returned.</summary>
    public const int MaxCandidatePaths = 6;

    /// <summary>The most issuer comparisons made in one search.</summary>
    public const int MaxIssuerChecks = 256;

    /// <summary>Candidate paths, each as its intermediates (leaf side first) and its trust anchor, in search order.</summary>
    /// <param name="leaf">The end-entity certificate.</param>
    /// <param name="intermediates">Known and peer-sent intermediates.</param>
    /// <param name="anchors">The trust anchors.</param>
    /// <param name="maxLength">The most certificates in a path, leaf and anchor included.</param>
    public static List<(List<X509Certificate2> Intermediates, X509Certificate2 Anchor)> Candidates(
        X509Certificate2 leaf, IReadOnlyList<X509Certificate2> intermediates, IReadOnlyList<X509Certificate2> anchors, int maxLength)
    {
        var results = new List<(List<X509Certificate2>, X509Certificate2)>();
        var budget = MaxIssuerChecks;
        var path = new List<X509Certificate2>();

        void Visit(X509Certificate2 current)
        {
            foreach (var anchor in anchors)
            {
                if (results.Count >= MaxCandidatePaths || --budget < 0)
                {
                    return;
                }

                if (Issued(anchor, current))
                {
                    results.Add(([.. path], anchor));
                }
            }

            // leaf + path + the next intermediate + an anchor must still fit.
            if (path.Count + 3 > maxLength)
            {
                return;
            }

            foreach (var candidate in intermediates)
            {
                if (results.Count >= MaxCandidatePaths || --budget < 0)
                {
                    return;
                }

                if (Same(candidate, leaf) || path.Exists(p => Same(p, candidate)) || !Issued(candidate, current))
                {
                    continue;
                }

                path.Add(candidate);
                Visit(candidate);
                path.RemoveAt(path.Count - 1);
            }
        }

        Visit(leaf);
        return results;
    }

    /// <summary>Whether <paramref name="issuer"/> may have issued <paramref name="subject"/>, by name and key identifier.</summary>
    private static bool Issued(X509Certificate2 issuer, X509Certificate2 subject)
    {
        if (!issuer.SubjectName.RawData.AsSpan().SequenceEqual(subject.IssuerName.RawData))
        {
            return false;
        }

        var authorityKey = subject.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        var subjectKey = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes;
        return authorityKey is not { } aki || subjectKey is not { } ski || aki.Span.SequenceEqual(ski.Span);
    }

    private static bool Same(X509Certificate2 a, X509Certificate2 b) => ReferenceEquals(a, b) || a.RawDataMemory.Span.SequenceEqual(b.RawDataMemory.Span);
}
