using System.Buffers;
using System.IO.Pipelines;
using System.Security.Authentication;
using Microsoft.AspNetCore.Connections;
using MutualAuth.AspNetCore.Tls;

namespace MutualAuth.AspNetCore.Tests.Tls;

public sealed class ClientHelloMiddlewareTests
{
    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    private sealed class Connection : IAsyncDisposable
    {
        private readonly Pipe _fromClient = new();
        private readonly Pipe _toClient = new();
        private readonly CancellationTokenSource _closed = new();

        public Connection()
        {
            Context = new DefaultConnectionContext("test", new DuplexPipe(_fromClient.Reader, _toClient.Writer), new DuplexPipe(_toClient.Reader, _fromClient.Writer))
            {
                ConnectionClosed = _closed.Token,
            };
        }

        public DefaultConnectionContext Context { get; }

        public TaskCompletionSource<(ClientHelloOffer Offer, byte[] Unread)> Next { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Run(TimeSpan? timeout = null) => new ClientHelloMiddleware(async context =>
        {
            // The next middleware (the TLS layer) must see every byte the client sent, from the first.
            var read = await context.Transport.Input.ReadAsync();
            var unread = read.Buffer.ToArray();
            context.Transport.Input.AdvanceTo(read.Buffer.End);
            Next.SetResult((ClientHelloMiddleware.OfferOf(context), unread));
        }, timeout ?? TimeSpan.FromSeconds(10), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).OnConnectionAsync(Context);

        public async Task Send(byte[] data)
        {
            await _fromClient.Writer.WriteAsync(data);
        }

        public Task Close() => _fromClient.Writer.CompleteAsync().AsTask();

        public void Abort() => _closed.Cancel();

        public async ValueTask DisposeAsync()
        {
            await _fromClient.Writer.CompleteAsync();
            _closed.Dispose();
        }
    }

    [Fact]
    public async Task A_hello_arriving_byte_by_byte_is_inspected_and_handed_on_unread()
    {
        var hello = ClientHellos.Build(preSharedKey: true);
        await using var connection = new Connection();
        var running = connection.Run();

        foreach (var b in hello)
        {
            Assert.False(connection.Next.Task.IsCompleted);
            await connection.Send([b]);
        }

        var (offer, unread) = await connection.Next.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await running;
        Assert.Equal(new ClientHelloOffer(OffersTls13: true, OffersPreSharedKey: true), offer);
        Assert.Equal(hello, unread);
    }

    [Fact]
    public async Task A_hello_and_more_in_one_write_is_handed_on_whole()
    {
        var hello = await ClientHellos.FromSslStream(SslProtocols.Tls12);
        byte[] data = [.. hello, 20, 3, 3, 0, 1, 1];
        await using var connection = new Connection();
        var running = connection.Run();

        await connection.Send(data);

        var (offer, unread) = await connection.Next.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await running;
        Assert.False(offer.OffersTls13);
        Assert.Equal(data, unread);
    }

    [Fact]
    public async Task Junk_goes_on_to_the_tls_layer_with_the_strict_settings()
    {
        var junk = "GET / HTTP/1.1\r\n"u8.ToArray();
        await using var connection = new Connection();
        var running = connection.Run();

        await connection.Send(junk);

        var (offer, unread) = await connection.Next.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await running;
        Assert.Equal(ClientHelloOffer.None, offer);
        Assert.Equal(junk, unread);
    }

    [Fact]
    public async Task A_client_that_closes_mid_record_goes_on_with_the_strict_settings()
    {
        var hello = ClientHellos.Build();
        await using var connection = new Connection();
        var running = connection.Run();

        await connection.Send(hello[..20]);
        await connection.Close();

        var (offer, unread) = await connection.Next.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await running;
        Assert.Equal(ClientHelloOffer.None, offer);
        Assert.Equal(hello[..20], unread);
    }

    [Fact]
    public async Task A_client_that_sends_no_whole_record_in_time_is_dropped()
    {
        await using var connection = new Connection();
        var running = connection.Run(TimeSpan.FromMilliseconds(200));

        await connection.Send(ClientHellos.Build()[..10]);

        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(connection.Next.Task.IsCompleted);
    }

    [Fact]
    public async Task An_aborted_connection_is_dropped()
    {
        await using var connection = new Connection();
        var running = connection.Run();

        connection.Abort();

        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(connection.Next.Task.IsCompleted);
    }

    [Fact]
    public void Without_inspection_the_offer_is_none()
    {
        Assert.Equal(ClientHelloOffer.None, ClientHelloMiddleware.OfferOf(new DefaultConnectionContext()));
    }
}
