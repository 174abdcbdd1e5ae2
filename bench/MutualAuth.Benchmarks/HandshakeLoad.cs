using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

using MutualAuth.Testing;

namespace MutualAuth.Benchmarks;

/// <summary>
/// <c>handshakes --port P --cert CHAIN.pem --key KEY.pem --server-cert CERT.pem --mode full|resumed|keepalive|hold
/// [--host 127.0.0.1] [--server-name localhost] [--connections N] [--seconds S] [--warmup W] [--pids A,B,…]
/// [--clk-tck 100] [--expect TEXT] [--client dotnet|openssl]</c>: a TLS 1.3 mTLS load client for any HTTPS server (used by <c>bench/run.sh</c>
/// against <c>mutualauth serve</c> and nginx). N parallel loops, each with the client certificate (leaf and
/// intermediates sent), the server pinned by its leaf certificate:
/// <list type="bullet">
/// <item><em>full</em>: a new connection per iteration, TLS session resumption off (no ticket offered), one
/// <c>GET /whoami</c> with <c>Connection: close</c> whose answer must be 200 and contain <c>--expect</c>;</item>
/// <item><em>resumed</em>: the same with resumption on, so the client offers the last TLS 1.3 ticket it received;
/// every answer must still carry the client identity. SslStream (.NET 10, OpenSSL 3.0) does resume with a client
/// certificate when the server accepts the ticket; <c>--client openssl</c> runs one <c>openssl s_client
/// -sess_in/-sess_out</c> process per connection instead, as an independent cross-check (also for <em>full</em>);</item>
/// <item><em>keepalive</em>: one connection per loop, then <c>GET /whoami</c> again and again on it;</item>
/// <item><em>hold</em>: opens N connections (full handshakes), leaves them idle and reports the servers' resident
/// memory before and with them open.</item>
/// </list>
/// Whether a handshake was resumed is read off the wire: the bytes the server sent during the handshake (a full one
/// carries the server's certificate chain, a resumed one does not). CPU time of the server processes (<c>--pids</c>,
/// utime+stime from <c>/proc/PID/stat</c>) is read at the start and end of the measured window, after the warm-up.
/// Prints a human summary and one <c>RESULT key=value …</c> line for scripts.
/// </summary>
internal static class HandshakeLoad
{
    public const string Command = "handshakes";

    /// <summary>Server handshake flights below this many bytes carry no certificate chain: a resumed session.</summary>
    private const int ResumedBelowBytes = 600;

    public static async Task<int> Run(string[] args)
    {
        var settings = Settings.Parse(args);
        try
        {
            var ok = settings.Mode switch
            {
                "full" or "resumed" => await RunConnections(settings, resume: settings.Mode == "resumed"),
                "keepalive" => await RunKeepAlive(settings),
                "hold" => await RunHold(settings),
                _ => throw new ArgumentException($"unknown --mode '{settings.Mode}' (full, resumed, keepalive, hold)"),
            };
            return ok ? 0 : 1;
        }
        finally
        {
            if (settings.OpenSsl is { } folder)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task<bool> RunConnections(Settings settings, bool resume)
    {
        var counters = new Counters();
        var window = await Measure(settings, counters, (stop, measuring) => settings.OpenSsl is null
            ? ConnectionLoop(settings, resume, counters, measuring, stop)
            : OpenSslLoop(settings, resume, counters, measuring, stop));
        var count = window.Count;
        var resumedShare = count == 0 ? 0 : (double)window.Resumed / count;
        var bytes = count == 0 ? 0 : (double)window.HandshakeBytes / count;
        Report(settings, window, string.Create(CultureInfo.InvariantCulture, $"resumed={resumedShare:0.000} hs_bytes={bytes:0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{settings.Mode}: {count / window.Seconds:0} handshakes/s wall, {Rate(count, window.ServerCpuSeconds)} per server CPU-second, {resumedShare:P1} resumed {(settings.OpenSsl is null ? $"(server handshake flight {bytes:0} bytes on average)" : "(openssl s_client: 'Reused,')")}, {window.Errors} errors, identity checked on every connection"));
        return window.Errors == 0 && count > 0;
    }

    private static async Task<bool> RunKeepAlive(Settings settings)
    {
        var counters = new Counters();
        var window = await Measure(settings, counters, (stop, measuring) => KeepAliveLoop(settings, counters, measuring, stop));
        Report(settings, window, "");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"keepalive c={settings.Connections}: {window.Count / window.Seconds:0} requests/s wall, {Rate(window.Count, window.ServerCpuSeconds)} per server CPU-second, {window.Errors} errors"));
        return window.Errors == 0 && window.Count > 0;
    }

    /// <summary>Runs the loops for warm-up plus measured time; counts and server CPU are read only for the measured window.</summary>
    private static async Task<Window> Measure(Settings settings, Counters counters, Func<CancellationToken, Func<bool>, Task> loop)
    {
        using var stop = new CancellationTokenSource();
        var measuring = false;
        var loops = Enumerable.Range(0, settings.Connections).Select(_ => Task.Run(() => loop(stop.Token, () => Volatile.Read(ref measuring)))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(settings.WarmUp));
        var cpuBefore = CpuSeconds(settings);
        var before = counters.Snapshot();
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(settings.Seconds));
        var after = counters.Snapshot();
        var seconds = clock.Elapsed.TotalSeconds;
        var cpuAfter = CpuSeconds(settings);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        return new Window(after.Count - before.Count, after.Resumed - before.Resumed, after.HandshakeBytes - before.HandshakeBytes, after.Errors - before.Errors, seconds, cpuAfter - cpuBefore);
    }

    private static async Task ConnectionLoop(Settings settings, bool resume, Counters counters, Func<bool> measuring, CancellationToken stop)
    {
        var options = settings.ClientOptions(resume);
        var request = Encoding.ASCII.GetBytes($"GET /whoami HTTP/1.1\r\nHost: {settings.ServerName}\r\nConnection: close\r\n\r\n");
        var buffer = new byte[16 * 1024];
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await Connect(settings, options, stop);
                await connection.Tls.WriteAsync(request, stop);
                var (status, body) = await ReadResponse(connection.Tls, buffer, stop);
                if (status != 200 || !body.Contains(settings.Expect, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"answer {status}: {body}");
                }

                counters.Add(connection.HandshakeBytes, connection.HandshakeBytes < ResumedBelowBytes);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or SocketException or AuthenticationException or InvalidOperationException)
            {
                counters.Error(e, measuring());
            }
        }
    }

    /// <summary>
    /// The same iteration as <see cref="ConnectionLoop"/> with one <c>openssl s_client</c> process per connection (an
    /// independent client to cross-check resumption): the loop's session file goes in with <c>-sess_in</c> and comes
    /// back with the newest ticket through <c>-sess_out</c>; <c>Reused, TLSv1.3</c> in its output counts as resumed.
    /// </summary>
    private static async Task OpenSslLoop(Settings settings, bool resume, Counters counters, Func<bool> measuring, CancellationToken stop)
    {
        var session = Path.Combine(settings.OpenSsl!, $"{Guid.NewGuid():N}.sess");
        var request = $"GET /whoami HTTP/1.1\r\nHost: {settings.ServerName}\r\nConnection: close\r\n\r\n";
        while (!stop.IsCancellationRequested)
        {
            var start = new ProcessStartInfo("openssl")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in (string[])["s_client", "-connect", $"{settings.Host}:{settings.Port}", "-servername", settings.ServerName, "-tls1_3", "-alpn", "http/1.1",
                "-cert", settings.CertificatePath, "-key", settings.KeyPath, "-cert_chain", settings.IntermediatesPath, "-CAfile", settings.ServerCertificatePath,
                "-partial_chain", "-verify_return_error", "-ign_eof"])
            {
                start.ArgumentList.Add(arg);
            }

            if (resume)
            {
                if (File.Exists(session))
                {
                    start.ArgumentList.Add("-sess_in");
                    start.ArgumentList.Add(session);
                }

                start.ArgumentList.Add("-sess_out");
                start.ArgumentList.Add(session);
            }

            try
            {
                using var process = Process.Start(start)!;
                var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
                await process.StandardInput.WriteAsync(request);
                process.StandardInput.Close();
                await process.WaitForExitAsync(CancellationToken.None);
                var text = await output;
                _ = await errors;
                // Not the exit code: s_client exits with 1 when the server closes the TCP connection without a TLS
                // close_notify after the answer (Kestrel does, after Connection: close); the answer has a Content-Length.
                if (!text.Contains("HTTP/1.1 200", StringComparison.Ordinal) || !text.Contains(settings.Expect, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"openssl s_client exited with {process.ExitCode}: {text[..Math.Min(text.Length, 300)]}");
                }

                counters.Add(0, text.Contains("Reused, TLSv1.3", StringComparison.Ordinal));
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                counters.Error(e, measuring());
            }
        }
    }

    private static async Task KeepAliveLoop(Settings settings, Counters counters, Func<bool> measuring, CancellationToken stop)
    {
        var options = settings.ClientOptions(resume: false);
        var request = Encoding.ASCII.GetBytes($"GET /whoami HTTP/1.1\r\nHost: {settings.ServerName}\r\n\r\n");
        var buffer = new byte[16 * 1024];
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await Connect(settings, options, stop);
                var first = true;
                while (!stop.IsCancellationRequested)
                {
                    await connection.Tls.WriteAsync(request, stop);
                    var (status, body) = await ReadResponse(connection.Tls, buffer, stop);
                    if (status != 200 || (first && !body.Contains(settings.Expect, StringComparison.Ordinal)))
                    {
                        throw new InvalidOperationException($"answer {status}: {body}");
                    }

                    first = false;
                    counters.Add(0, resumed: false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or SocketException or AuthenticationException or InvalidOperationException)
            {
                counters.Error(e, measuring());
            }
        }
    }

    private static async Task<bool> RunHold(Settings settings)
    {
        var before = RssKilobytes(settings);
        var options = settings.ClientOptions(resume: false);
        var connections = new List<Connection>();
        var opened = 0;
        using var gate = new SemaphoreSlim(16);
        try
        {
            var tasks = Enumerable.Range(0, settings.Connections).Select(async _ =>
            {
                await gate.WaitAsync();
                try
                {
                    var connection = await Connect(settings, options, CancellationToken.None);
                    lock (connections)
                    {
                        connections.Add(connection);
                    }

                    Interlocked.Increment(ref opened);
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            await Task.WhenAll(tasks);
            await Task.Delay(TimeSpan.FromSeconds(settings.WarmUp));
            var after = RssKilobytes(settings);
            var perConnection = (double)(after - before) / opened;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"hold: {opened} idle mTLS connections open; server RSS {before / 1024.0:0.0} MB before, {after / 1024.0:0.0} MB with them, {perConnection:0.0} KB per connection"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT mode=hold connections={opened} rss_before_kb={before} rss_after_kb={after} per_conn_kb={perConnection:0.00}"));
            return opened == settings.Connections;
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static void Report(Settings settings, Window window, string extra) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT mode={settings.Mode} connections={settings.Connections} seconds={window.Seconds:0.00} count={window.Count} per_s={window.Count / window.Seconds:0.0} server_cpu_s={window.ServerCpuSeconds:0.000} per_cpu_s={Rate(window.Count, window.ServerCpuSeconds)} errors={window.Errors} {extra}").TrimEnd());

    private static string Rate(long count, double cpuSeconds) =>
        cpuSeconds > 0 ? (count / cpuSeconds).ToString("0.0", CultureInfo.InvariantCulture) : "n/a";

    private static async Task<Connection> Connect(Settings settings, SslClientAuthenticationOptions options, CancellationToken cancel)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(settings.Host, settings.Port), cancel);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var counting = new CountingStream(new NetworkStream(socket, ownsSocket: true));
        var tls = new SslStream(counting, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(options, cancel);
            if (tls.SslProtocol != SslProtocols.Tls13)
            {
                throw new AuthenticationException($"negotiated {tls.SslProtocol}, not TLS 1.3");
            }
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        return new Connection(tls, counting.BytesRead);
    }

    /// <summary>Reads one HTTP/1.1 response (Content-Length, chunked, or until close) and returns its status and body.</summary>
    private static async Task<(int Status, string Body)> ReadResponse(Stream stream, byte[] buffer, CancellationToken cancel)
    {
        var filled = 0;
        int headerEnd;
        while ((headerEnd = IndexOf(buffer, filled, "\r\n\r\n"u8)) < 0)
        {
            filled += await ReadMore(stream, buffer, filled, cancel);
        }

        var head = Encoding.ASCII.GetString(buffer, 0, headerEnd);
        var status = int.Parse(head.AsSpan(9, 3), CultureInfo.InvariantCulture);
        var bodyStart = headerEnd + 4;
        var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        if (lengthLine is not null)
        {
            var length = int.Parse(lengthLine.AsSpan(15).Trim(), CultureInfo.InvariantCulture);
            while (filled < bodyStart + length)
            {
                filled += await ReadMore(stream, buffer, filled, cancel);
            }

            return (status, Encoding.UTF8.GetString(buffer, bodyStart, length));
        }

        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new StringBuilder();
            var at = bodyStart;
            while (true)
            {
                int lineEnd;
                while ((lineEnd = IndexOf(buffer.AsSpan(at), filled - at, "\r\n"u8)) < 0)
                {
                    filled += await ReadMore(stream, buffer, filled, cancel);
                }

                var size = int.Parse(Encoding.ASCII.GetString(buffer, at, lineEnd).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                at += lineEnd + 2;
                while (filled < at + size + 2)
                {
                    filled += await ReadMore(stream, buffer, filled, cancel);
                }

                if (size == 0)
                {
                    return (status, body.ToString());
                }

                body.Append(Encoding.UTF8.GetString(buffer, at, size));
                at += size + 2;
            }
        }

        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancel);
            if (read == 0)
            {
                return (status, Encoding.UTF8.GetString(buffer, bodyStart, filled - bodyStart));
            }

            filled += read;
        }
    }

    private static async Task<int> ReadMore(Stream stream, byte[] buffer, int filled, CancellationToken cancel)
    {
        if (filled == buffer.Length)
        {
            throw new InvalidOperationException("response larger than the buffer");
        }

        var read = await stream.ReadAsync(buffer.AsMemory(filled), cancel);
        return read > 0 ? read : throw new IOException("connection closed in the middle of a response");
    }

    private static int IndexOf(ReadOnlySpan<byte> buffer, int length, ReadOnlySpan<byte> value) => buffer[..length].IndexOf(value);

    private static double CpuSeconds(Settings settings)
    {
        long ticks = 0;
        foreach (var pid in settings.Pids)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }

        return (double)ticks / settings.ClockTicks;
    }

    private static long RssKilobytes(Settings settings) => settings.Pids.Sum(pid =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture)).Single());

    private sealed class Settings
    {
        public required IPAddress Host { get; init; }
        public required int Port { get; init; }
        public required string ServerName { get; init; }
        public required string Mode { get; init; }
        public required int Connections { get; init; }
        public required double Seconds { get; init; }
        public required double WarmUp { get; init; }
        public required IReadOnlyList<int> Pids { get; init; }
        public required int ClockTicks { get; init; }
        public required string Expect { get; init; }
        public required SslStreamCertificateContext ClientCertificate { get; init; }
        public required byte[] ServerCertificateHash { get; init; }
        public required string CertificatePath { get; init; }
        public required string KeyPath { get; init; }
        public required string ServerCertificatePath { get; init; }

        /// <summary>With <c>--client openssl</c>: a temporary folder for session files and the intermediates; otherwise null (SslStream).</summary>
        public string? OpenSsl { get; init; }

        public string IntermediatesPath => Path.Combine(OpenSsl!, "intermediates.pem");

        /// <summary>Client options: TLS 1.3 only, the client certificate with its intermediates, the server pinned by its leaf.</summary>
        public SslClientAuthenticationOptions ClientOptions(bool resume) => new()
        {
            TargetHost = ServerName,
            EnabledSslProtocols = SslProtocols.Tls13,
            ClientCertificateContext = ClientCertificate,
            AllowTlsResume = resume,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256).AsSpan().SequenceEqual(ServerCertificateHash),
        };

        public static Settings Parse(string[] args)
        {
            string? Value(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
            string Required(string name) => Value(name) ?? throw new ArgumentException($"{name} is required");
            using var leaf = X509Certificate2.CreateFromPemFile(Required("--cert"), Required("--key"));
            var intermediates = new X509Certificate2Collection();
            intermediates.ImportFromPemFile(Required("--cert"));
            var extra = new X509Certificate2Collection(intermediates.Skip(1).ToArray());
            using var server = X509CertificateLoader.LoadCertificateFromFile(Required("--server-cert"));
            string? openSsl = null;
            if (Value("--client") == "openssl")
            {
                openSsl = Directory.CreateTempSubdirectory("mutualauth-handshakes-").FullName;
                File.WriteAllText(Path.Combine(openSsl, "intermediates.pem"), string.Concat(extra.Select(c => c.ExportCertificatePem() + "\n")));
            }

            return new Settings
            {
                Host = IPAddress.Parse(Value("--host") ?? "127.0.0.1"),
                Port = int.Parse(Required("--port"), CultureInfo.InvariantCulture),
                ServerName = Value("--server-name") ?? "localhost",
                Mode = Required("--mode"),
                Connections = int.Parse(Value("--connections") ?? "8", CultureInfo.InvariantCulture),
                Seconds = double.Parse(Value("--seconds") ?? "5", CultureInfo.InvariantCulture),
                WarmUp = double.Parse(Value("--warmup") ?? "1", CultureInfo.InvariantCulture),
                Pids = (Value("--pids") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList(),
                ClockTicks = int.Parse(Value("--clk-tck") ?? "100", CultureInfo.InvariantCulture),
                Expect = Value("--expect") ?? "client",
                ClientCertificate = SslStreamCertificateContext.Create(X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pkcs12), null), extra, offline: true),
                ServerCertificateHash = server.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256),
                CertificatePath = Required("--cert"),
                KeyPath = Required("--key"),
                ServerCertificatePath = Required("--server-cert"),
                OpenSsl = openSsl,
            };
        }
    }

    private sealed class Counters
    {
        private long _count;
        private long _resumed;
        private long _handshakeBytes;
        private long _errors;
        private int _printed;

        public void Add(long handshakeBytes, bool resumed)
        {
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _handshakeBytes, handshakeBytes);
            if (resumed)
            {
                Interlocked.Increment(ref _resumed);
            }
        }

        public void Error(Exception e, bool measuring)
        {
            if (measuring)
            {
                Interlocked.Increment(ref _errors);
            }

            if (Interlocked.Increment(ref _printed) <= 3)
            {
                Console.Error.WriteLine($"error{(measuring ? "" : " (warm-up)")}: {e.GetType().Name}: {e.Message}");
            }
        }

        public (long Count, long Resumed, long HandshakeBytes, long Errors) Snapshot() =>
            (Interlocked.Read(ref _count), Interlocked.Read(ref _resumed), Interlocked.Read(ref _handshakeBytes), Interlocked.Read(ref _errors));
    }

    private sealed record Window(long Count, long Resumed, long HandshakeBytes, long Errors, double Seconds, double ServerCpuSeconds);

    private sealed class Connection(SslStream tls, long handshakeBytes) : IAsyncDisposable
    {
        public SslStream Tls { get; } = tls;

        /// <summary>Bytes the server sent during the handshake.</summary>
        public long HandshakeBytes { get; } = handshakeBytes;

        public ValueTask DisposeAsync() => Tls.DisposeAsync();
    }
}
