namespace MutualAuth.Testing;

/// <summary>A stream wrapper that counts the bytes read from the inner stream (the server's handshake flight, for TLS
/// probes and the load client); optionally rewrites the first write (a ClientHello to tamper with).</summary>
internal sealed class CountingStream(Stream inner, Func<byte[], byte[]>? rewriteFirstWrite = null) : Stream
{
    private long _read;
    private Func<byte[], byte[]>? _rewrite = rewriteFirstWrite;

    public long BytesRead => Interlocked.Read(ref _read);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(Rewrite(buffer.AsMemory(offset, count)).Span);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(Rewrite(buffer), cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private ReadOnlyMemory<byte> Rewrite(ReadOnlyMemory<byte> data)
    {
        var rewrite = Interlocked.Exchange(ref _rewrite, null);
        return rewrite is null ? data : rewrite(data.ToArray());
    }

    private int Count(int read)
    {
        Interlocked.Add(ref _read, read);
        return read;
    }
}
