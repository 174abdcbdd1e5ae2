using System.Collections.Concurrent;
using MutualAuth.Gateway;
using MutualAuth.AspNetCore.MessageSignatures;
using MutualAuth.Http;
using MutualAuth.MessageSignatures;
using MutualAuth.Storage;

namespace MutualAuth.Testing;

/// <summary>Client keys, a replay cache and a server key in memory, for gateways whose routes use HTTP Message Signatures.</summary>
internal sealed class SignatureTestSetup : IDisposable
{
    private readonly ConcurrentDictionary<string, (string Client, Func<HttpSignatureKey> Key)> _keys = new();

    public SignatureTestSetup()
    {
        ServerKey = HttpSignatureKey.Generate(HttpSignatureAlgorithm.EcdsaP256Sha256);
    }

    public const string ServerKeyId = "test-server";

    public HttpSignatureKey ServerKey { get; }

    public MemoryReplayCache ReplayCache { get; } = new();

    public byte[] Secret { get; } = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    /// <summary>Registers <paramref name="keyId"/> for <paramref name="client"/> with a verification key made on each lookup.</summary>
    public void Register(string keyId, string client, Func<HttpSignatureKey> key) => _keys[keyId] = (client, key);

    public void Revoke(string keyId) => _keys.TryRemove(keyId, out _);

    public void Configure(GatewayOptions options, params string[] routes)
    {
        foreach (var route in routes.Length == 0 ? ["/=sig"] : routes)
        {
            options.Routes.Add(GatewayRoute.Parse(route));
        }

        options.SignatureClients = (keyId, _) => ValueTask.FromResult(_keys.TryGetValue(keyId, out var found) ? new SignatureClient(found.Client, found.Key()) : null);
        options.ReplayCache = ReplayCache;
        options.ResponseSigningKey = () => (ServerKeyId, ServerKey);
    }

    /// <summary>A client handler chain: signature handler → optional tampering → mutual TLS transport (no certificate).</summary>
    public HttpClient Client(TestPki pki, string keyId, HttpSignatureKey key, DelegatingHandler? between = null, HttpSignatureKey? pinnedServerKey = null, TimeProvider? clock = null)
    {
        HttpMessageHandler transport = MutualTlsHttpHandler.Create(new MutualTlsClientOptions { ServerTrust = pki.ServerPolicy() }, pki.Time);
        if (between is not null)
        {
            between.InnerHandler = transport;
            transport = between;
        }

        return new HttpClient(new HttpSignatureHandler(new HttpSignatureClientOptions
        {
            KeyId = keyId,
            Key = key,
            ServerKeyId = ServerKeyId,
            ServerKey = pinnedServerKey ?? ServerKey,
            TimeProvider = clock ?? pki.Time,
        })
        {
            InnerHandler = transport,
        });
    }

    public void Dispose() => ServerKey.Dispose();
}

/// <summary>A replay cache in memory.</summary>
internal sealed class MemoryReplayCache : IReplayCache
{
    private readonly ConcurrentDictionary<(string, string), DateTimeOffset> _seen = new();

    public ValueTask<bool> TryAddAsync(string scope, string value, DateTimeOffset expires, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_seen.TryAdd((scope, value), expires));
}

/// <summary>Runs a function on each request before it is sent and on each response before it is returned.</summary>
internal sealed class Tamper(Action<HttpRequestMessage>? request = null, Func<HttpResponseMessage, Task<HttpResponseMessage>>? response = null) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        request?.Invoke(message);
        var answer = await base.SendAsync(message, cancellationToken);
        return response is null ? answer : await response(answer);
    }
}
