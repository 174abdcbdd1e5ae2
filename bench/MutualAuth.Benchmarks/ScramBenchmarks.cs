using BenchmarkDotNet.Attributes;
using MutualAuth.Scram;

namespace MutualAuth.Benchmarks;

/// <summary>
/// Server-side SCRAM-SHA-256 work per exchange (both server steps, verifier lookup excluded), with the
/// client's messages prepared in advance, so the client's PBKDF2 is not measured.
/// </summary>
[MemoryDiagnoser]
public class ScramBenchmarks
{
    private static readonly byte[] Secret = new byte[32];
    private ScramCredential _credential = null!;
    private string _clientFirst = null!;
    private string _clientFinal = null!;

    [GlobalSetup]
    public void Setup()
    {
        _credential = ScramCredential.Create(ScramMechanism.Sha256, "correct horse battery");
        var client = new ScramClient(ScramMechanism.Sha256, "alice", "correct horse battery", clientNonce: "fixedclientnonce");
        var server = new ScramServer(ScramMechanism.Sha256, _ => _credential, Secret, serverNonce: "fixedservernonce");
        _clientFirst = client.CreateClientFirst();
        _clientFinal = client.CreateClientFinal(server.HandleClientFirst(_clientFirst));
    }

    [Benchmark(Description = "ScramServer exchange (SCRAM-SHA-256, 4096 iterations stored)")]
    public string ServerExchange()
    {
        var server = new ScramServer(ScramMechanism.Sha256, _ => _credential, Secret, serverNonce: "fixedservernonce");
        server.HandleClientFirst(_clientFirst);
        return server.HandleClientFinal(_clientFinal);
    }

    [Benchmark(Description = "Client PBKDF2 (SCRAM-SHA-256, 4096 iterations)")]
    public ScramCredential ClientKeyDerivation() => ScramCredential.Derive(ScramMechanism.Sha256, "correct horse battery", _credential.Salt, 4096);
}
