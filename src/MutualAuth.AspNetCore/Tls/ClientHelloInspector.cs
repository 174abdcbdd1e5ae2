using System.Buffers.Binary;

namespace MutualAuth.AspNetCore.Tls;

/// <summary>How far <see cref="ClientHelloInspector.Inspect"/> got.</summary>
internal enum ClientHelloStatus
{
    /// <summary>The bytes so far are a plausible start of a TLS record: the whole first record is needed.</summary>
    NeedMoreData,

    /// <summary>The first record is not a complete, well-formed ClientHello (junk, another protocol, a fragmented or oversized hello).</summary>
    Unusable,

    /// <summary>The first record holds a whole, well-formed ClientHello.</summary>
    Parsed,
}

/// <summary>
/// Reads just enough of a client's first TLS record to tell whether it offers TLS 1.3 and a session to resume;
/// anything unexpected is <see cref="ClientHelloStatus.Unusable"/>, never an exception.
/// </summary>
/// <remarks>
/// Structures, all big-endian:
/// <list type="bullet">
/// <item>TLSPlaintext (RFC 8446 §5.1): type (22 = handshake), legacy_record_version (0x03 0x01–0x04), uint16 length
/// (at most 2^14), fragment.</item>
/// <item>Handshake (RFC 8446 §4): msg_type (1 = client_hello), uint24 length, body; the whole body must be in this record.</item>
/// <item>ClientHello (RFC 8446 §4.1.2): legacy_version (2), random (32), legacy_session_id &lt;0..32&gt;,
/// cipher_suites &lt;2..2^16-2&gt;, legacy_compression_methods &lt;1..2^8-1&gt;, extensions &lt;8..2^16-1&gt;
/// (absent in a TLS 1.2-only hello, RFC 5246 §7.4.1.2), filling the body exactly.</item>
/// <item>Extension (RFC 8446 §4.2): uint16 type, opaque data &lt;0..2^16-1&gt;; a type may appear once only (checked
/// for the two read here).</item>
/// <item>supported_versions in a ClientHello (RFC 8446 §4.2.1): ProtocolVersion versions &lt;2..254&gt;.</item>
/// </list>
/// </remarks>
// Pure and allocation-free; every length is checked against what is there. Only the first record is looked at (at most
// MaxRecordSize bytes): a ClientHello fragmented over several records is unusable here and gets the strict settings.
internal static class ClientHelloInspector
{
    /// <summary>A record header and the largest plaintext fragment (RFC 8446 §5.1: 2^14 bytes).</summary>
    public const int MaxRecordSize = RecordHeaderSize + MaxFragmentSize;

    private const int RecordHeaderSize = 5;
    private const int MaxFragmentSize = 1 << 14;
    private const byte HandshakeContentType = 22;
    private const byte ClientHelloType = 1;
    private const int RandomSize = 32;
    private const int MaxSessionIdSize = 32;
    private const ushort SupportedVersionsExtension = 43;
    private const ushort PreSharedKeyExtension = 41;
    private const ushort Tls13Version = 0x0304;

    /// <summary>Inspects the bytes a client sent first.</summary>
    /// <param name="data">What has arrived so far (only the first record is read).</param>
    /// <param name="offer">What the ClientHello offers when <see cref="ClientHelloStatus.Parsed"/>, else <see cref="ClientHelloOffer.None"/>.</param>
    public static ClientHelloStatus Inspect(ReadOnlySpan<byte> data, out ClientHelloOffer offer)
    {
        offer = ClientHelloOffer.None;
        if (data.Length >= 1 && data[0] != HandshakeContentType)
        {
            return ClientHelloStatus.Unusable;
        }

        if (data.Length >= 2 && data[1] != 3)
        {
            return ClientHelloStatus.Unusable;
        }

        if (data.Length >= 3 && data[2] is < 1 or > 4)
        {
            return ClientHelloStatus.Unusable;
        }

        if (data.Length < RecordHeaderSize)
        {
            return ClientHelloStatus.NeedMoreData;
        }

        int fragmentLength = BinaryPrimitives.ReadUInt16BigEndian(data[3..]);
        if (fragmentLength is 0 or > MaxFragmentSize)
        {
            return ClientHelloStatus.Unusable;
        }

        if (data.Length < RecordHeaderSize + fragmentLength)
        {
            return ClientHelloStatus.NeedMoreData;
        }

        return TryReadHandshake(data.Slice(RecordHeaderSize, fragmentLength), out offer) ? ClientHelloStatus.Parsed : ClientHelloStatus.Unusable;
    }

    /// <summary>RFC 8446 §4: the fragment is one whole client_hello message (nothing may precede or follow it in the first flight).</summary>
    private static bool TryReadHandshake(ReadOnlySpan<byte> fragment, out ClientHelloOffer offer)
    {
        offer = ClientHelloOffer.None;
        var reader = new Reader(fragment);
        return reader.TryReadByte(out var type) && type == ClientHelloType
            && reader.TryReadUInt24(out var length)
            && reader.TryReadBytes(length, out var body)
            && reader.IsEmpty
            && TryReadClientHello(body, out offer);
    }

    /// <summary>RFC 8446 §4.1.2 (and RFC 5246 §7.4.1.2 for a hello without extensions).</summary>
    private static bool TryReadClientHello(ReadOnlySpan<byte> body, out ClientHelloOffer offer)
    {
        offer = ClientHelloOffer.None;
        var reader = new Reader(body);
        if (!reader.Skip(2 + RandomSize)
            || !reader.TryReadVector8(out var sessionId) || sessionId.Length > MaxSessionIdSize
            || !reader.TryReadVector16(out var cipherSuites) || cipherSuites.Length < 2 || cipherSuites.Length % 2 != 0
            || !reader.TryReadVector8(out var compression) || compression.Length < 1)
        {
            return false;
        }

        if (reader.IsEmpty)
        {
            return true;
        }

        if (!reader.TryReadVector16(out var extensions) || !reader.IsEmpty)
        {
            return false;
        }

        return TryReadExtensions(extensions, cipherSuites, out offer);
    }

    /// <summary>RFC 8446 §4.2: a list of (type, data) that fills its vector exactly; the two extensions read here may appear once only.</summary>
    private static bool TryReadExtensions(ReadOnlySpan<byte> extensions, ReadOnlySpan<byte> cipherSuites, out ClientHelloOffer offer)
    {
        offer = ClientHelloOffer.None;
        var reader = new Reader(extensions);
        var seenVersions = false;
        var offersTls13 = false;
        var offersPsk = false;
        while (!reader.IsEmpty)
        {
            if (!reader.TryReadUInt16(out var type) || !reader.TryReadVector16(out var data))
            {
                return false;
            }

            if (type == SupportedVersionsExtension)
            {
                if (seenVersions || !TryReadSupportedVersions(data, out offersTls13))
                {
                    return false;
                }

                seenVersions = true;
            }
            else if (type == PreSharedKeyExtension)
            {
                if (offersPsk)
                {
                    return false;
                }

                offersPsk = true;
            }
        }

        offer = new ClientHelloOffer(offersTls13 && OffersTls13Suite(cipherSuites), offersPsk);
        return true;
    }

    /// <summary>RFC 8446 §4.2.1: ProtocolVersion versions&lt;2..254&gt;, filling the extension exactly.</summary>
    private static bool TryReadSupportedVersions(ReadOnlySpan<byte> data, out bool offersTls13)
    {
        offersTls13 = false;
        var reader = new Reader(data);
        if (!reader.TryReadVector8(out var versions) || !reader.IsEmpty || versions.Length < 2 || versions.Length % 2 != 0)
        {
            return false;
        }

        for (var i = 0; i < versions.Length; i += 2)
        {
            offersTls13 |= BinaryPrimitives.ReadUInt16BigEndian(versions[i..]) == Tls13Version;
        }

        return true;
    }

    /// <summary>TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 or TLS_CHACHA20_POLY1305_SHA256 (RFC 8446 §B.4).</summary>
    private static bool OffersTls13Suite(ReadOnlySpan<byte> cipherSuites)
    {
        for (var i = 0; i + 1 < cipherSuites.Length; i += 2)
        {
            if (cipherSuites[i] == 0x13 && cipherSuites[i + 1] is >= 0x01 and <= 0x03)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Bounds-checked big-endian reads over a span; every failed read leaves the caller with <c>false</c>.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool IsEmpty => _rest.IsEmpty;

        public bool Skip(int count)
        {
            if (_rest.Length < count)
            {
                return false;
            }

            _rest = _rest[count..];
            return true;
        }

        public bool TryReadByte(out byte value)
        {
            value = 0;
            if (_rest.IsEmpty)
            {
                return false;
            }

            value = _rest[0];
            _rest = _rest[1..];
            return true;
        }

        public bool TryReadUInt16(out ushort value)
        {
            value = 0;
            if (_rest.Length < 2)
            {
                return false;
            }

            value = BinaryPrimitives.ReadUInt16BigEndian(_rest);
            _rest = _rest[2..];
            return true;
        }

        public bool TryReadUInt24(out int value)
        {
            value = 0;
            if (_rest.Length < 3)
            {
                return false;
            }

            value = (_rest[0] << 16) | (_rest[1] << 8) | _rest[2];
            _rest = _rest[3..];
            return true;
        }

        public bool TryReadBytes(int count, out ReadOnlySpan<byte> value)
        {
            value = default;
            if (count < 0 || _rest.Length < count)
            {
                return false;
            }

            value = _rest[..count];
            _rest = _rest[count..];
            return true;
        }

        public bool TryReadVector8(out ReadOnlySpan<byte> value)
        {
            value = default;
            return TryReadByte(out var length) && TryReadBytes(length, out value);
        }

        public bool TryReadVector16(out ReadOnlySpan<byte> value)
        {
            value = default;
            return TryReadUInt16(out var length) && TryReadBytes(length, out value);
        }
    }
}
