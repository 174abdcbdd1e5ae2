using System.Buffers.Binary;
using System.Text;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>
/// Framing of the PostgreSQL frontend/backend protocol v3: a type byte, a big-endian Int32 length that counts
/// itself, then the body. Every length read from the server is bounded before anything is allocated.
/// </summary>
internal static class PgFrames
{
    /// <summary>The largest backend message accepted during login (errors and parameters are far smaller).</summary>
    public const int MaxMessageLength = 64 * 1024;

    /// <summary>Writes a typed frontend message (type 0: the untyped startup and SSLRequest packets).</summary>
    public static async Task Write(Stream stream, char type, byte[] body, CancellationToken cancellation)
    {
        var header = type == '\0' ? 0 : 1;
        var frame = new byte[header + 4 + body.Length];
        if (header == 1)
        {
            frame[0] = (byte)type;
        }

        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(header), 4 + body.Length);
        body.CopyTo(frame, header + 4);
        await stream.WriteAsync(frame, cancellation);
        await stream.FlushAsync(cancellation);
    }

    /// <summary>Reads one backend message.</summary>
    /// <exception cref="InvalidDataException">The length is below 4 or above <see cref="MaxMessageLength"/>.</exception>
    public static async Task<(char Type, byte[] Body)> Read(Stream stream, CancellationToken cancellation)
    {
        var header = new byte[5];
        await stream.ReadExactlyAsync(header, cancellation);
        var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        if (length is < 4 or > MaxMessageLength)
        {
            throw new InvalidDataException($"Backend message '{(char)header[0]}' has length {length}, outside 4–{MaxMessageLength}.");
        }

        var body = new byte[length - 4];
        await stream.ReadExactlyAsync(body, cancellation);
        return ((char)header[0], body);
    }

    /// <summary>A C string (UTF-8, NUL-terminated).</summary>
    public static byte[] CString(string value) => [.. Encoding.UTF8.GetBytes(value), 0];

    /// <summary>A big-endian Int32.</summary>
    public static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>Splits NUL-terminated strings (a trailing empty string ends a list).</summary>
    public static List<string> CStrings(ReadOnlySpan<byte> body)
    {
        var strings = new List<string>();
        while (body.Length > 0)
        {
            var end = body.IndexOf((byte)0);
            if (end < 0)
            {
                throw new InvalidDataException("A string is not NUL-terminated.");
            }

            strings.Add(Encoding.UTF8.GetString(body[..end]));
            body = body[(end + 1)..];
        }

        return strings;
    }

    /// <summary>Reads an ErrorResponse's fields (a type byte and a C string each, ended by a zero byte).</summary>
    public static PgError Error(ReadOnlySpan<byte> body)
    {
        var fields = new Dictionary<char, string>();
        foreach (var field in CStrings(body))
        {
            if (field.Length > 0)
            {
                fields[field[0]] = field[1..];
            }
        }

        return new PgError(fields.GetValueOrDefault('S', "?"), fields.GetValueOrDefault('C', "?"), fields.GetValueOrDefault('M', ""));
    }
}
