using System.Buffers.Binary;
using System.Net.Security;
using System.Security.Authentication;

namespace MutualAuth.AspNetCore.Tests.Tls;

/// <summary>ClientHello records for tests: captured from SslStream at test time, or built field by field (RFC 8446 §4.1.2).</summary>
internal static class ClientHellos
{
    public const ushort Tls12 = 0x0303;
    public const ushort Tls13 = 0x0304;
    public const ushort Grease = 0x0A0A;
    public const ushort TlsAes128GcmSha256 = 0x1301;
    public const ushort EcdheEcdsaAes128GcmSha256 = 0xC02B;
    public const ushort EcdheEcdsaAes128CbcSha = 0xC009;
    public const ushort SupportedVersions = 43;
    public const ushort PreSharedKey = 41;

    /// <summary>The first record .NET's SslStream sends as a client offering <paramref name="protocols"/> (no session to resume).</summary>
    public static async Task<byte[]> FromSslStream(SslProtocols protocols)
    {
        var capture = new CaptureStream();
        await using var tls = new SslStream(capture);
        await Assert.ThrowsAnyAsync<Exception>(() => tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            // Not "localhost" and no resumption: SslStream's client session cache is per process, and a ticket another
            // test received would turn up here as a pre_shared_key.
            TargetHost = "hello.test",
            EnabledSslProtocols = protocols,
            AllowTlsResume = false,
            RemoteCertificateValidationCallback = (_, _, _, _) => false,
        }));
        return capture.Written;
    }

    /// <summary>A ClientHello record with these fields; <paramref name="versions"/> null leaves out supported_versions.</summary>
    public static byte[] Build(ushort[]? versions = null, ushort[]? cipherSuites = null, bool preSharedKey = false, int sessionIdLength = 32,
        bool withExtensions = true, IEnumerable<(ushort Type, byte[] Data)>? moreExtensions = null, ushort recordVersion = 0x0301)
    {
        versions ??= [Tls13, Tls12];
        cipherSuites ??= [TlsAes128GcmSha256, EcdheEcdsaAes128GcmSha256];
        var body = new List<byte>();
        body.AddRange(U16(Tls12));
        body.AddRange(new byte[32]);
        body.Add((byte)sessionIdLength);
        body.AddRange(new byte[sessionIdLength]);
        body.AddRange(U16(cipherSuites.Length * 2));
        foreach (var suite in cipherSuites)
        {
            body.AddRange(U16(suite));
        }

        body.AddRange([1, 0]);
        if (withExtensions)
        {
            var extensions = new List<byte>();
            void Add(ushort type, byte[] data)
            {
                extensions.AddRange(U16(type));
                extensions.AddRange(U16(data.Length));
                extensions.AddRange(data);
            }

            Add(10, [0, 2, 0, 29]); // supported_groups: x25519
            if (versions.Length > 0)
            {
                Add(SupportedVersions, [(byte)(versions.Length * 2), .. versions.SelectMany(v => U16(v))]);
            }

            foreach (var (type, data) in moreExtensions ?? [])
            {
                Add(type, data);
            }

            if (preSharedKey)
            {
                // identities: one 4-byte identity and its obfuscated age; binders: one 32-byte binder (RFC 8446 §4.2.11).
                byte[] identities = [.. U16(4), 1, 2, 3, 4, 0, 0, 0, 0];
                byte[] binders = [32, .. new byte[32]];
                Add(PreSharedKey, [.. U16(identities.Length), .. identities, .. U16(binders.Length), .. binders]);
            }

            body.AddRange(U16(extensions.Count));
            body.AddRange(extensions);
        }

        byte[] handshake = [1, (byte)(body.Count >> 16), (byte)(body.Count >> 8), (byte)body.Count, .. body];
        return Record(handshake, recordVersion);
    }

    /// <summary>Wraps a handshake fragment in a TLS record header.</summary>
    public static byte[] Record(ReadOnlySpan<byte> fragment, ushort version = 0x0301) => [22, .. U16(version), .. U16(fragment.Length), .. fragment];

    /// <summary>The same handshake message in two records, the first carrying <paramref name="firstLength"/> bytes of it.</summary>
    public static byte[] SplitIntoTwoRecords(byte[] record, int firstLength)
    {
        var version = BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(1));
        var fragment = record.AsSpan(5);
        return [.. Record(fragment[..firstLength], version), .. Record(fragment[firstLength..], version)];
    }

    private static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];

    private static byte[] U16(ushort value) => U16((int)value);

    /// <summary>Keeps what is written; reads end at once (so the handshake stops after the ClientHello).</summary>
    private sealed class CaptureStream : Stream
    {
        private readonly MemoryStream _written = new();

        public byte[] Written => _written.ToArray();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => 0;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

        public override void Write(byte[] buffer, int offset, int count) => _written.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
