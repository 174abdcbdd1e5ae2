namespace MutualAuth.Cli.Commands;

/// <summary>
/// Where <c>call</c> writes the response: standard output, or <c>-o FILE</c>, opened before the request is sent so an
/// unwritable path fails first, and removed again when the call fails and the file was new.
/// </summary>
internal sealed class CallOutput : IAsyncDisposable
{
    private readonly string? _path;
    private readonly bool _created;
    private bool _written;

    private CallOutput(Stream stream, string? path, bool created)
    {
        Stream = stream;
        _path = path;
        _created = created;
    }

    public Stream Stream { get; }

    /// <summary>Whether the output is a terminal (a final newline is added there, as nothing else reads it).</summary>
    public bool IsTerminal => _path is null && !Console.IsOutputRedirected;

    /// <exception cref="CliException">The file cannot be opened for writing (exit 3).</exception>
    public static CallOutput Open(string? path)
    {
        if (path is null or "-")
        {
            return new CallOutput(Console.OpenStandardOutput(), null, false);
        }

        var created = !File.Exists(path);
        try
        {
            // Not truncated yet: an existing file keeps its content unless a response replaces it.
            return new CallOutput(new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None), path, created);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw CliException.Store($"cannot write --output '{path}': {e.Message} Nothing was sent.", e);
        }
    }

    /// <summary>Writes <paramref name="bytes"/>, emptying the file before the first write.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (!_written && _path is not null)
        {
            Stream.SetLength(0);
        }

        _written = true;
        try
        {
            await Stream.WriteAsync(bytes, cancellationToken);
        }
        catch (IOException e) when (_path is not null)
        {
            throw CliException.Store($"cannot write --output '{_path}': {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        if (_created && !_written && _path is not null)
        {
            File.Delete(_path);
        }
    }
}
