using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MutualAuth.Gateway;
using MutualAuth.Authentication;
using MutualAuth.Certificates;
using MutualAuth.Scram;
using MutualAuth.Storage;

namespace MutualAuth.Testing;

/// <summary>The gateway on a free loopback port inside the test process, with an in-memory audit store.</summary>
internal sealed class InProcessGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessGateway(WebApplication app, MemoryAuditStore audit)
    {
        _app = app;
        Audit = audit;
    }

    public MemoryAuditStore Audit { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<InProcessGateway> Start(TestPki pki, IssuedCertificate serverCertificate, Func<TrustPolicy>? trust = null, Uri? upstream = null,
        Action<GatewayOptions>? configure = null)
    {
        var audit = new MemoryAuditStore();
        var options = new GatewayOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            ServerCertificate = TestPki.WithKey(serverCertificate),
            TrustPolicy = trust ?? (() => pki.ClientPolicy()),
            AuditStore = audit,
            Upstream = upstream,
            TimeProvider = pki.Time,
        };
        options.ServerCertificateChain.Add(serverCertificate.Issuer);
        configure?.Invoke(options);
        var app = MutualAuthGateway.Build(options);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new InProcessGateway(app, audit) { BaseAddress = new Uri(address.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)) };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>SCRAM verifiers in memory.</summary>
internal sealed class MemoryScramUserStore : IScramUserStore
{
    private readonly Dictionary<(string, string), ScramCredential> _credentials = [];

    public void Add(string userName, string password, int iterations = ScramCredential.MinIterations) =>
        Save(userName, [ScramCredential.Create(ScramMechanism.Sha256, password, iterations), ScramCredential.Create(ScramMechanism.Sha512, password, iterations)]);

    public Task SaveAsync(string userName, IReadOnlyList<ScramCredential> credentials, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        Save(userName, credentials);
        return Task.CompletedTask;
    }

    public ValueTask<ScramCredential?> FindAsync(string userName, ScramMechanism mechanism, CancellationToken cancellationToken = default)
    {
        lock (_credentials)
        {
            return ValueTask.FromResult(_credentials.GetValueOrDefault((userName, mechanism.Hash.Name!)) is { } found ? found with { Mechanism = mechanism } : null);
        }
    }

    public ValueTask<IReadOnlyList<ScramCredentialShape>> ShapesAsync(ScramMechanism mechanism, CancellationToken cancellationToken = default)
    {
        lock (_credentials)
        {
            return ValueTask.FromResult<IReadOnlyList<ScramCredentialShape>>([.. _credentials.Where(c => c.Key.Item2 == mechanism.Hash.Name).GroupBy(c => (c.Value.Iterations, c.Value.Salt.Length))
                .Select(g => new ScramCredentialShape(g.Key.Iterations, g.Key.Length, g.Count()))]);
        }
    }

    public Task<bool> RemoveAsync(string userName, CancellationToken cancellationToken = default)
    {
        lock (_credentials)
        {
            var keys = _credentials.Keys.Where(k => k.Item1 == userName).ToList();
            keys.ForEach(k => _credentials.Remove(k));
            return Task.FromResult(keys.Count > 0);
        }
    }

    public Task<IReadOnlyList<(string UserName, IReadOnlyList<string> Mechanisms, DateTimeOffset UpdatedAt)>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<(string, IReadOnlyList<string>, DateTimeOffset)>>([]);

    private void Save(string userName, IReadOnlyList<ScramCredential> credentials)
    {
        lock (_credentials)
        {
            foreach (var credential in credentials)
            {
                _credentials[(userName, credential.Mechanism.Hash.Name!)] = credential;
            }
        }
    }
}

/// <summary>An audit store in memory, for assertions.</summary>
internal sealed class MemoryAuditStore : IAuditStore
{
    private readonly List<AuditEvent> _events = [];

    public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        lock (_events)
        {
            _events.Add(auditEvent);
        }

        return ValueTask.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEvent>> ListRecentAsync(int limit, CancellationToken cancellationToken = default) => Task.FromResult(ListRecent(limit));

    /// <summary>The most recent events, newest first (synchronous, for assertions).</summary>
    public IReadOnlyList<AuditEvent> ListRecent(int limit)
    {
        lock (_events)
        {
            return _events.AsEnumerable().Reverse().Take(limit).ToList();
        }
    }
}
