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

    [Fact]
    public async Task A_malformed_handshake_record_is_one_log_line_not_an_unhandled_exception()
    {
        // A complete handshake record whose body is not a handshake message: SslStream throws NotSupportedException.
        // The client keeps its side open (a client that closes it is dropped before its record reaches TLS).
        await SendAndReadUntilClosed([22, 3, 1, 0, 5, .. "hello"u8.ToArray()], closeSending: false);

        Assert.True(await fixture.Gateway.WaitForOutput("malformed handshake records"), fixture.Gateway.Output);
        Assert.DoesNotContain("Unhandled exception", fixture.Gateway.Output, StringComparison.Ordinal);
    }

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
