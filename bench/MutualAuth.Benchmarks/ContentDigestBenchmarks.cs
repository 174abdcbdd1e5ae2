using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using MutualAuth.MessageSignatures;

namespace MutualAuth.Benchmarks;

/// <summary><c>Content-Digest</c> (RFC 9530) of a 1 KiB body with sha-256: created (client, response) and checked (server, client).</summary>
[MemoryDiagnoser]
public class ContentDigestBenchmarks
{
    private readonly byte[] _body = RandomNumberGenerator.GetBytes(1024);
    private string[] _field = null!;

    [GlobalSetup]
    public void Setup() => _field = [ContentDigest.Create(_body, ContentDigestAlgorithm.Sha256)];

    [Benchmark(Description = "Content-Digest sha-256, 1 KiB: create")]
    public string Create() => ContentDigest.Create(_body, ContentDigestAlgorithm.Sha256);

    [Benchmark(Description = "Content-Digest sha-256, 1 KiB: verify")]
    public ContentDigestResult Verify() => ContentDigest.Verify(_field, _body);
}
