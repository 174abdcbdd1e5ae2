using System.Globalization;
using System.Text;
using System.Text.Json;
using MutualAuth.Authentication;

namespace MutualAuth.AspNetCore.Audit;

/// <summary>
/// The node's durable queue of audit events the database could not take: one JSON object per line, appended and
/// fsync'd a batch at a time, read back in order from a committed offset kept beside it.
/// </summary>
// Not thread-safe: SpooledAuditStore serialises every call. A crash while appending can leave a torn last line: it was
// never fsync'd, so it was never counted as spooled, and it is cut off when the spool is opened again. A crash between
// a chunk's database commit and the offset's fsync writes that chunk twice (at least once, never lost).
internal sealed class AuditSpool
{
    private const int ReadBlock = 1 << 20;
    private static readonly UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _path;
    private readonly string _offsetPath;
    private long _length;
    private long _offset;

    /// <summary>Opens (or prepares) the spool at <paramref name="path"/>, cutting a torn last line.</summary>
    public AuditSpool(string path)
    {
        _path = path;
        _offsetPath = path + ".offset";
        if (File.Exists(_path))
        {
            using var file = Open(FileMode.Open, FileAccess.ReadWrite);
            _length = LastCompleteLine(file);
            file.SetLength(_length);
            _offset = File.Exists(_offsetPath) && long.TryParse(File.ReadAllText(_offsetPath), NumberStyles.None, CultureInfo.InvariantCulture, out var o) && o <= _length ? o : 0;
        }
    }

    /// <summary>Bytes of events spooled and not yet written to the database.</summary>
    public long PendingBytes => _length - _offset;

    /// <summary>Whether events wait in the spool.</summary>
    public bool HasEvents => PendingBytes > 0;

    /// <summary>Appends <paramref name="events"/> in order and fsyncs them.</summary>
    public void Append(IReadOnlyList<AuditEvent> events)
    {
        var buffer = new MemoryStream();
        foreach (var e in events)
        {
            Write(buffer, e);
        }

        using var file = Open(FileMode.Append, FileAccess.Write);
        buffer.Position = 0;
        buffer.CopyTo(file);
        file.Flush(flushToDisk: true);
        _length += buffer.Length;
    }

    /// <summary>Up to <paramref name="max"/> events from the committed offset, and the offset after them.</summary>
    public (IReadOnlyList<AuditEvent> Events, long End) Read(int max)
    {
        var events = new List<AuditEvent>();
        if (!HasEvents)
        {
            return (events, _offset);
        }

        using var file = Open(FileMode.Open, FileAccess.Read);
        file.Position = _offset;
        var block = new byte[(int)Math.Min(ReadBlock, PendingBytes)];
        file.ReadExactly(block);
        var position = 0;
        while (events.Count < max && Array.IndexOf(block, (byte)'\n', position) is var end and >= 0)
        {
            events.Add(Parse(block.AsSpan(position, end - position)));
            position = end + 1;
        }

        // A line longer than the block cannot be written (events are bounded by the request headers' limit).
        return (events, _offset + position);
    }

    /// <summary>Records that the events before <paramref name="end"/> are in the database; an emptied spool is removed.</summary>
    public void Commit(long end)
    {
        _offset = end;
        if (_offset >= _length)
        {
            File.Delete(_path);
            File.Delete(_offsetPath);
            _offset = _length = 0;
            return;
        }

        using var file = new FileStream(_offsetPath, Options(FileMode.Create, FileAccess.Write));
        file.Write(Encoding.ASCII.GetBytes(_offset.ToString(CultureInfo.InvariantCulture)));
        file.Flush(flushToDisk: true);
    }

    private FileStream Open(FileMode mode, FileAccess access) => new(_path, Options(mode, access));

    // Owner-only, as every secret and record in the data folder: audit events name subjects and peers.
    private static FileStreamOptions Options(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.Read };
        if (mode != FileMode.Open && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        return options;
    }

    private static long LastCompleteLine(FileStream file)
    {
        for (var position = file.Length - 1; position >= 0; position--)
        {
            file.Position = position;
            if (file.ReadByte() == '\n')
            {
                return position + 1;
            }
        }

        return 0;
    }

    private static void Write(Stream stream, AuditEvent e)
    {
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("time", e.Time.ToUniversalTime());
            json.WriteString("decision", e.Decision == AuditDecision.Accept ? "accept" : "refuse");
            json.WriteString("method", e.Method);
            json.WriteString("peer", e.PeerAddress);
            json.WriteString("subject", e.Subject);
            json.WriteString("credential", e.CredentialId);
            json.WriteString("reason", e.ReasonCode);
            json.WriteString("detail", e.Detail);
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    private static AuditEvent Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        using var json = JsonDocument.ParseValue(ref reader);
        var o = json.RootElement;
        string? Text(string name) => o.GetProperty(name).GetString();
        return new AuditEvent
        {
            Time = o.GetProperty("time").GetDateTimeOffset(),
            Decision = Text("decision") == "accept" ? AuditDecision.Accept : AuditDecision.Refuse,
            Method = Text("method")!,
            PeerAddress = Text("peer"),
            Subject = Text("subject"),
            CredentialId = Text("credential"),
            ReasonCode = Text("reason")!,
            Detail = Text("detail"),
        };
    }
}
