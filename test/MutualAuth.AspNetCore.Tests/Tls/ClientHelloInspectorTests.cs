using System.Security.Authentication;
using MutualAuth.AspNetCore.Tls;

namespace MutualAuth.AspNetCore.Tests.Tls;

public sealed class ClientHelloInspectorTests
{
    private static ClientHelloStatus Inspect(byte[] data, out ClientHelloOffer offer) => ClientHelloInspector.Inspect(data, out offer);

    [Fact]
    public async Task A_tls13_hello_from_SslStream_offers_tls13_and_no_session()
    {
        var hello = await ClientHellos.FromSslStream(SslProtocols.Tls12 | SslProtocols.Tls13);

        Assert.Equal(ClientHelloStatus.Parsed, Inspect(hello, out var offer));
        Assert.Equal(new ClientHelloOffer(OffersTls13: true, OffersPreSharedKey: false), offer);
    }

    [Fact]
    public async Task A_tls12_only_hello_from_SslStream_does_not_offer_tls13()
    {
        var hello = await ClientHellos.FromSslStream(SslProtocols.Tls12);

        Assert.Equal(ClientHelloStatus.Parsed, Inspect(hello, out var offer));
        Assert.False(offer.OffersTls13);
    }

    [Fact]
    public void A_built_tls13_hello_with_a_pre_shared_key_offers_both()
    {
        Assert.Equal(ClientHelloStatus.Parsed, Inspect(ClientHellos.Build(preSharedKey: true), out var offer));
        Assert.Equal(new ClientHelloOffer(OffersTls13: true, OffersPreSharedKey: true), offer);
    }

    [Fact]
    public void Grease_and_unknown_versions_are_ignored()
    {
        Assert.Equal(ClientHelloStatus.Parsed, Inspect(ClientHellos.Build(versions: [ClientHellos.Grease, ClientHellos.Tls13]), out var offer));
        Assert.True(offer.OffersTls13);
        Assert.Equal(ClientHelloStatus.Parsed, Inspect(ClientHellos.Build(versions: [ClientHellos.Grease, ClientHellos.Tls12, 0x7F1C]), out offer));
        Assert.False(offer.OffersTls13);
    }

    [Fact]
    public void Tls13_in_supported_versions_without_a_tls13_suite_is_not_a_tls13_offer()
    {
        var hello = ClientHellos.Build(cipherSuites: [ClientHellos.EcdheEcdsaAes128GcmSha256, ClientHellos.EcdheEcdsaAes128CbcSha]);

        Assert.Equal(ClientHelloStatus.Parsed, Inspect(hello, out var offer));
        Assert.False(offer.OffersTls13);
    }

    [Fact]
    public void A_hello_without_extensions_or_supported_versions_is_tls12()
    {
        Assert.Equal(ClientHelloStatus.Parsed, Inspect(ClientHellos.Build(withExtensions: false), out var offer));
        Assert.False(offer.OffersTls13);
        Assert.Equal(ClientHelloStatus.Parsed, Inspect(ClientHellos.Build(versions: []), out offer));
        Assert.False(offer.OffersTls13);
    }

    [Fact]
    public async Task Every_truncation_of_a_hello_needs_more_data()
    {
        var hello = await ClientHellos.FromSslStream(SslProtocols.Tls12 | SslProtocols.Tls13);

        for (var length = 0; length < hello.Length; length++)
        {
            Assert.Equal(ClientHelloStatus.NeedMoreData, Inspect(hello[..length], out var offer));
            Assert.Equal(ClientHelloOffer.None, offer);
        }
    }

    [Fact]
    public async Task Bytes_after_the_first_record_are_not_read()
    {
        var hello = await ClientHellos.FromSslStream(SslProtocols.Tls12 | SslProtocols.Tls13);

        Assert.Equal(ClientHelloStatus.Parsed, Inspect([.. hello, 0xFF, 0xFF, 0xFF], out var offer));
        Assert.True(offer.OffersTls13);
    }

    public static TheoryData<string, byte[]> LyingHellos
    {
        get
        {
            var data = new TheoryData<string, byte[]>();
            var hello = ClientHellos.Build(preSharedKey: true);
            byte[] With(int offset, params byte[] bytes)
            {
                var copy = (byte[])hello.Clone();
                bytes.CopyTo(copy, offset);
                return copy;
            }

            // Offsets: record header 0–4, handshake header 5–8, legacy_version 9–10, random 11–42, session id length 43.
            data.Add("record longer than 2^14", With(3, 0x40, 0x01));
            data.Add("empty record", With(3, 0, 0));
            data.Add("handshake longer than the record", HandshakeLength(hello, +1));
            data.Add("handshake shorter than the record", HandshakeLength(hello, -1));
            data.Add("handshake length 2^24-1", With(6, 0xFF, 0xFF, 0xFF));
            data.Add("session id of 33 bytes", ClientHellos.Build(sessionIdLength: 33));
            data.Add("session id length past the end", With(43, 0xFF));
            data.Add("cipher suites length past the end", With(76, 0xFF, 0xFF));
            data.Add("odd cipher suites length", With(76, 0, 3));
            data.Add("extensions length past the end", ExtensionsLength(hello, +1));
            data.Add("extensions length short of the end", ExtensionsLength(hello, -1));
            var tls13Only = ClientHellos.Build(versions: [ClientHellos.Tls13]);
            data.Add("supported_versions list length lies", Patch(tls13Only, SupportedVersionsData(tls13Only), 9));
            data.Add("supported_versions list of odd length", ClientHellos.Build(versions: [], moreExtensions: [(ClientHellos.SupportedVersions, [3, 3, 4, 3])]));
            data.Add("empty supported_versions list", ClientHellos.Build(versions: [], moreExtensions: [(ClientHellos.SupportedVersions, [0])]));
            data.Add("supported_versions twice", ClientHellos.Build(moreExtensions: [(ClientHellos.SupportedVersions, [2, 3, 4])]));
            data.Add("pre_shared_key twice", ClientHellos.Build(preSharedKey: true, moreExtensions: [(ClientHellos.PreSharedKey, [0, 0, 0, 0])]));
            // Without a session id, the compression methods length follows the two cipher suites at offset 44 + 2 + 4.
            data.Add("no compression methods", Patch(ClientHellos.Build(sessionIdLength: 0), 44 + 2 + 4, 0));
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(LyingHellos))]
    public void Lengths_that_lie_make_the_hello_unusable(string what, byte[] hello)
    {
        Assert.True(Inspect(hello, out var offer) == ClientHelloStatus.Unusable, what);
        Assert.Equal(ClientHelloOffer.None, offer);
    }

    [Fact]
    public async Task A_hello_fragmented_over_two_records_is_unusable_from_its_first_record()
    {
        var hello = await ClientHellos.FromSslStream(SslProtocols.Tls12 | SslProtocols.Tls13);

        var split = ClientHellos.SplitIntoTwoRecords(hello, 40);

        Assert.Equal(ClientHelloStatus.Unusable, Inspect(split, out var offer));
        Assert.Equal(ClientHelloOffer.None, offer);
    }

    public static TheoryData<string, byte[]> NotTls => new()
    {
        { "HTTP", "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray() },
        { "SSLv2 hello", [0x80, 0x2E, 0x01, 0x00, 0x02, 0x00, 0x15] },
        { "alert record", [21, 3, 3, 0, 2, 2, 40] },
        { "application data", [23, 3, 3, 0, 1, 0] },
        { "handshake record with a ServerHello", ClientHellos.Record([2, 0, 0, 0]) },
        { "record version 2.0", [22, 2, 0, 0, 4] },
        { "record version 3.9", [22, 3, 9, 0, 4] },
        { "one junk byte", [0xFF] },
    };

    [Theory]
    [MemberData(nameof(NotTls))]
    public void Bytes_that_are_not_a_tls_client_hello_are_unusable_at_once(string what, byte[] data)
    {
        Assert.True(Inspect(data, out var offer) == ClientHelloStatus.Unusable, what);
        Assert.Equal(ClientHelloOffer.None, offer);
    }

    [Fact]
    public async Task Random_corruption_never_throws()
    {
        var hello = await ClientHellos.FromSslStream(SslProtocols.Tls12 | SslProtocols.Tls13);
        var random = new Random(8446);

        for (var i = 0; i < 20_000; i++)
        {
            var copy = (byte[])hello.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            }

            var status = Inspect(copy[..random.Next(copy.Length + 1)], out var offer);

            Assert.True(status == ClientHelloStatus.Parsed || offer == ClientHelloOffer.None);
        }
    }

    private static byte[] HandshakeLength(byte[] hello, int delta)
    {
        var length = ((hello[6] << 16) | (hello[7] << 8) | hello[8]) + delta;
        return Patch(hello, 6, (byte)(length >> 16), (byte)(length >> 8), (byte)length);
    }

    private static int ExtensionsOffset(byte[] hello)
    {
        var at = 9 + 2 + 32;
        at += 1 + hello[at];
        at += 2 + ((hello[at] << 8) | hello[at + 1]);
        at += 1 + hello[at];
        return at;
    }

    private static byte[] ExtensionsLength(byte[] hello, int delta)
    {
        var at = ExtensionsOffset(hello);
        var length = ((hello[at] << 8) | hello[at + 1]) + delta;
        return Patch(hello, at, (byte)(length >> 8), (byte)length);
    }

    /// <summary>Where the data of the supported_versions extension starts (its inner list length byte).</summary>
    private static int SupportedVersionsData(byte[] hello)
    {
        var at = ExtensionsOffset(hello) + 2;
        while (((hello[at] << 8) | hello[at + 1]) != ClientHellos.SupportedVersions)
        {
            at += 4 + ((hello[at + 2] << 8) | hello[at + 3]);
        }

        return at + 4;
    }

    private static byte[] Patch(byte[] data, int offset, params byte[] bytes)
    {
        var copy = (byte[])data.Clone();
        bytes.CopyTo(copy, offset);
        return copy;
    }
}
