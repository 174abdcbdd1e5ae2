using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace MutualAuth.AspNetCore.Tls;

/// <summary>
/// Kestrel connection middleware before <c>UseHttps</c>: inspects the client's first TLS record without consuming it
/// and leaves the <see cref="ClientHelloOffer"/> in the connection's items (<see cref="OfferOf"/>).
/// </summary>
// Junk, another protocol or a fragmented hello give ClientHelloOffer.None (the strict settings) and go on to the TLS
// layer, which refuses what is not TLS. A client that sends no complete first record within the timeout, or whose
// connection fails while waiting, is disconnected, as Kestrel's handshake timeout would.
internal sealed class ClientHelloMiddleware
{
    private static readonly object ItemKey = typeof(ClientHelloOffer);

    private readonly ConnectionDelegate _next;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;

    /// <summary>Creates the middleware.</summary>
    /// <param name="next">The rest of the connection pipeline (TLS, then HTTP).</param>
    /// <param name="timeout">How long the first record may take to arrive.</param>
    /// <param name="logger">Where refused malformed handshakes are reported.</param>
    public ClientHelloMiddleware(ConnectionDelegate next, TimeSpan timeout, ILogger logger)
    {
        _next = next ?? throw new ArgumentNullException(nameof(next));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _timeout = timeout;
    }

    /// <summary>What the connection's ClientHello offered; <see cref="ClientHelloOffer.None"/> when it was not inspected.</summary>
    public static ClientHelloOffer OfferOf(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Items.TryGetValue(ItemKey, out var value) && value is ClientHelloOffer offer ? offer : ClientHelloOffer.None;
    }

    /// <summary>Inspects the first record, then runs the rest of the pipeline.</summary>
    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ClientHelloOffer offer;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            timeout.CancelAfter(_timeout);
            try
            {
                offer = await PeekAsync(connection.Transport.Input, timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // Timed out, or the connection was closed or reset before its first record: nothing to serve.
                return;
            }
        }

        connection.Items[ItemKey] = offer;
        try
        {
            await _next(connection);
        }
        catch (Exception e) when (e is not OperationCanceledException && !HandshakeCompleted(connection))
        {
            // SslStream answers some malformed handshake records with exceptions Kestrel does not expect: its ClientHello
            // parser (TlsFrameHelper) throws IndexOutOfRangeException or ArgumentOutOfRangeException on inconsistent
            // lengths, and other records give NotSupportedException ("The server mode SSL must use a certificate with the
            // associated private key"). Kestrel would log each as an unhandled error with a stack trace, once per
            // connection any client can open. Whatever it is, before the handshake completed it is a refused handshake:
            // one line, no trace.
            Log.MalformedHandshake(_logger, connection.RemoteEndPoint?.ToString() ?? "-", e.GetType().Name);
        }
    }

    /// <summary>Whether the TLS handshake of <paramref name="connection"/> completed (Kestrel sets the feature before it starts).</summary>
    private static bool HandshakeCompleted(ConnectionContext connection)
    {
        try
        {
            return connection.Features.Get<ITlsHandshakeFeature>() is { Protocol: not System.Security.Authentication.SslProtocols.None };
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Reads until the first record is complete or known to be unusable, then puts everything back unread.</summary>
    internal static async Task<ClientHelloOffer> PeekAsync(PipeReader input, CancellationToken cancel)
    {
        while (true)
        {
            var read = await input.ReadAsync(cancel);
            var buffer = read.Buffer;
            var status = Inspect(buffer, out var offer);
            if (status != ClientHelloStatus.NeedMoreData || read.IsCompleted || read.IsCanceled)
            {
                // Nothing consumed and nothing examined, so the TLS layer's first read returns these bytes at once.
                input.AdvanceTo(buffer.Start);
                return status == ClientHelloStatus.Parsed ? offer : ClientHelloOffer.None;
            }

            // All examined: the next read waits for more bytes.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static ClientHelloStatus Inspect(ReadOnlySequence<byte> buffer, out ClientHelloOffer offer)
    {
        var first = buffer.Slice(0, Math.Min(buffer.Length, ClientHelloInspector.MaxRecordSize));
        if (first.IsSingleSegment)
        {
            return ClientHelloInspector.Inspect(first.FirstSpan, out offer);
        }

        var copy = ArrayPool<byte>.Shared.Rent((int)first.Length);
        try
        {
            first.CopyTo(copy);
            return ClientHelloInspector.Inspect(copy.AsSpan(0, (int)first.Length), out offer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}
