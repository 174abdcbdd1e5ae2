using System.Net;
using System.Net.Sockets;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests;

/// <summary><c>serve</c> refuses first records that are not a readable ClientHello and goes on serving.</summary>
[Collection(GatewayTests.Name)]
public sealed class JunkClientHelloTests(GatewayFixture fixture)
{
    public static TheoryData<string, byte[]> Junk()
    {
        // A TLS 1.3 ClientHello record header and handshake header, then a body that does not parse (RFC 8446 §4.1.2).
        byte[] garbled = [22, 3, 1, 0, 64, 1, 0, 0, 60, 3, 3, .. new byte[32], 0xEE, .. Enumerable.Range(0, 25).Select(i => (byte)(i * 37))];
        return new()
        {
            { "garbled TLS 1.3 ClientHello", garbled },
            { "ClientHello record claiming 2^14+1 bytes", [22, 3, 1, 0x40, 0x01, 1, 0, 0x40, 0] },
            { "HTTP in clear", "GET /whoami HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray() },
        };
    }

    [Theory]
    [MemberData(nameof(Junk))]
    public async Task Junk_is_refused_and_serve_keeps_answering(string what, byte[] junk)
    {
        var answer = await SendAndReadUntilClosed(junk);

        Assert.DoesNotContain("HTTP/1.1", answer, StringComparison.Ordinal);
        var files = fixture.Identity("alice");
        var after = await Tool.Run("curl", ["-sS", "--max-time", "20", "--cacert", fixture.RootPath, "--cert", files.ChainPath, "--key", files.KeyPath, fixture.Gateway.Url()]);
        Assert.True(after.ExitCode == 0, $"{what}: {after}");
    }

    public static TheoryData<string, string> MalformedRecords() => new()
    {
        // Complete handshake records that SslStream cannot parse: NotSupportedException for a body that is no handshake
        // message; IndexOutOfRangeException and ArgumentOutOfRangeException from its ClientHello parser for truncated or
        // inconsistent ClientHellos (found by fuzzing serve).
        { "not a handshake message", "1603010005" + Convert.ToHexString("hello"u8) },
        { "ClientHello of length 0", "160301000401000000" },
        { "ClientHello cut after its version", "16030100050100000103" },
        { "ClientHello with lying lengths", "160301002F0100002A0303" + new string('0', 64) + "00000213010100" + "0005" },
    };

    [Theory]
    [MemberData(nameof(MalformedRecords))]
    public async Task A_malformed_handshake_record_is_one_log_line_not_an_unhandled_exception(string what, string record)
    {
        var refusalsBefore = Lines("malformed handshake records");

        // The client keeps its side open (a client that closes it is dropped before its record reaches TLS).
        var answer = await SendAndReadUntilClosed(Convert.FromHexString(record), closeSending: false);

        Assert.DoesNotContain("HTTP/1.1", answer, StringComparison.Ordinal);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Lines("malformed handshake records") == refusalsBefore && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(Lines("malformed handshake records") > refusalsBefore, what + "\n" + fixture.Gateway.Output);
        Assert.DoesNotContain("Unhandled exception", fixture.Gateway.Output, StringComparison.Ordinal);
    }

    private int Lines(string text) => fixture.Gateway.Output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    private async Task<string> SendAndReadUntilClosed(byte[] data, bool closeSending = true)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, fixture.Gateway.Port), timeout.Token);
        await socket.SendAsync(data, timeout.Token);
        if (closeSending)
        {
            socket.Shutdown(SocketShutdown.Send);
        }

        var answer = new List<byte>();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
            {
                answer.AddRange(buffer[..read]);
            }
        }
        catch (SocketException)
        {
            // Reset by serve: refused.
        }

        return System.Text.Encoding.Latin1.GetString([.. answer]);
    }
}
