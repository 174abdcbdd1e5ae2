using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MutualAuth.AspNetCore.Gateway;
using MutualAuth.Audit;
using MutualAuth.Certificates;
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

    public static async Task<InProcessGateway> Start(TestPki pki, IssuedCertificate serverCertificate, Func<TrustPolicy>? trust = null, Uri? upstream = null)
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

/// <summary>An audit store in memory, for assertions.</summary>
internal sealed class MemoryAuditStore : IAuditStore
{
    private readonly List<AuditEvent> _events = [];

    public void Append(AuditEvent auditEvent)
    {
        lock (_events)
        {
            _events.Add(auditEvent);
        }
    }

    public IReadOnlyList<AuditEvent> ListRecent(int limit)
    {
        lock (_events)
        {
            return _events.AsEnumerable().Reverse().Take(limit).ToList();
        }
    }
}
