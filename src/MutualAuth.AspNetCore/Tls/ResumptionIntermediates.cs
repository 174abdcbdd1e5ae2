using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.AspNetCore.Tls;

/// <summary>The intermediates each accepted client certificate came with, so a resumed TLS 1.3 session can be validated again.</summary>
// A resumed handshake has no client Certificate message (RFC 8446 §2.2): SslStream hands the validation callback the
// session's leaf alone, and a leaf whose issuing CA is not in the trust policy would then no longer chain.
// Intermediates are untrusted path-building hints: the decision still rests on the current policy's anchors, CRLs and
// rules. The caller remembers only certificates whose path to a trust anchor verified (accepted ones, and ones refused
// by revocation or allow-rules), and only the intermediates that path used, so junk cannot push entries out or grow
// the memory; when capacity leaves (or distinct intermediates) are known the memory starts over, and a forgotten
// client fails closed (its resumption is refused and it connects again with a full handshake).
internal sealed class ResumptionIntermediates
{
    /// <summary>Longer chains are not remembered.</summary>
    public const int MaxIntermediates = 8;

    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, X509Certificate2[]> _byLeaf = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, X509Certificate2> _certificates = new(StringComparer.Ordinal);

    /// <summary>Creates an empty memory.</summary>
    /// <param name="capacity">At most this many leaves are remembered.</param>
    public ResumptionIntermediates(int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>The number of leaves remembered.</summary>
    public int Count => _byLeaf.Count;

    /// <summary>The number of distinct intermediates held for them.</summary>
    public int IntermediateCount => _certificates.Count;

    /// <summary>Remembers the intermediates <paramref name="leaf"/> was presented with (nothing if none or too many).</summary>
    public void Remember(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> intermediates)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(intermediates);
        if (intermediates.Count is 0 or > MaxIntermediates)
        {
            return;
        }

        var key = Thumbprint(leaf);
        if (_byLeaf.TryGetValue(key, out var known) && known.Length == intermediates.Count
            && known.Zip(intermediates).All(pair => pair.First.RawData.AsSpan().SequenceEqual(pair.Second.RawData)))
        {
            return;
        }

        if (_byLeaf.Count >= _capacity || _certificates.Count >= _capacity)
        {
            _byLeaf.Clear();
            _certificates.Clear();
        }

        // One copy per distinct intermediate, shared by all the leaves it issued.
        _byLeaf[key] = [.. intermediates.Select(c => _certificates.GetOrAdd(Thumbprint(c), _ => X509CertificateLoader.LoadCertificate(c.RawData)))];
    }

    /// <summary>The intermediates <paramref name="leaf"/> was last presented with; empty when unknown.</summary>
    public IReadOnlyList<X509Certificate2> Recall(X509Certificate2 leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        return _byLeaf.TryGetValue(Thumbprint(leaf), out var intermediates) ? intermediates : [];
    }

    private static string Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);
}
