using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Benchmarks;

/// <summary>
/// Validations of a 3-certificate chain (leaf, intermediate, root; P-256) per second: a bare
/// <see cref="X509Chain.Build"/> as the baseline, and <see cref="ChainValidator"/> with every check and a CRL.
/// </summary>
[MemoryDiagnoser]
public class ChainValidationBenchmarks
{
    private TestPki _pki = null!;
    private IssuedCertificate _leaf = null!;
    private X509Certificate2 _intermediate = null!;
    private TrustPolicy _policy = null!;
    private CertificateRevocationList _crl = null!;
    private ChainValidationCache _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pki = new TestPki();
        _pki.Time.SetUtcNow(DateTimeOffset.UtcNow);
        _leaf = _pki.Client("bench");
        _intermediate = _pki.Intermediate;
        using var revoked = _pki.Client("revoked");
        _crl = _pki.Crl(revoked);
        _policy = _pki.ClientPolicy(_crl) with { RequireCrl = false };
        _cache = new ChainValidationCache(TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup() => _pki.Dispose();

    [Benchmark(Baseline = true, Description = "X509Chain.Build (no policy checks)")]
    public bool BareChainBuild()
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_pki.Root);
        chain.ChainPolicy.ExtraStore.Add(_intermediate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(Oids.ClientAuth));
        var valid = chain.Build(_leaf.Certificate);
        foreach (var element in chain.ChainElements)
        {
            if (!ReferenceEquals(element.Certificate, _leaf.Certificate))
            {
                element.Certificate.Dispose();
            }
        }

        return valid;
    }

    [Benchmark(Description = "ChainValidator (all checks + CRL)")]
    public bool Validate() => ChainValidator.ValidateAt(_leaf.Certificate, [_intermediate], _policy, null, DateTimeOffset.UtcNow).IsValid;

    [Benchmark(Description = "ChainValidationCache (same chain again)")]
    public bool ValidateCached() => _cache.Validate(_leaf.Certificate, [_intermediate], _policy).IsValid;

    [Benchmark(Description = "CRL lookup (parsed CRL, one serial)")]
    public bool CrlLookup() => _crl.Find(_leaf.Certificate.SerialNumber) is null;
}
