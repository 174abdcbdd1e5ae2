using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MutualAuth.Scram;

namespace MutualAuth.Interop.Tests.Postgres;

/// <summary>
/// Just enough of the PostgreSQL frontend/backend protocol v3 to log in with our <see cref="ScramClient"/>:
/// optional SSLRequest and TLS, StartupMessage, the SASL exchange (AuthenticationSASL 10, SASLContinue 11,
/// SASLFinal 12), AuthenticationOk (0) and ReadyForQuery; an ErrorResponse ends the login and is reported.
/// </summary>
internal static class PgWireClient
{
    private const int SslRequestCode = 80877103;
    private const int ProtocolVersion3 = 196608;
    private const int MaxMessagesBeforeReady = 200;

    /// <summary>Connects, logs in and disconnects (Terminate).</summary>
    public static async Task<PgLoginResult> LogIn(PgLogin login)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var cancellation = timeout.Token;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, login.Port, cancellation);
        Stream stream = tcp.GetStream();
        X509Certificate2? presented = null;
        if (login.ServerCertificate is { } expected)
        {
            (stream, presented) = await StartTls(stream, expected, cancellation);
        }

        await using (stream)
        {
            await PgFrames.Write(stream, '\0', [.. PgFrames.Int32(ProtocolVersion3), .. PgFrames.CString("user"), .. PgFrames.CString(login.User),
                .. PgFrames.CString("database"), .. PgFrames.CString(login.Database), 0], cancellation);
            var result = await Authenticate(stream, login, presented, cancellation);
            if (result.LoggedIn)
            {
                await PgFrames.Write(stream, 'X', [], cancellation);
            }

            return result;
        }
    }

    private static async Task<(Stream Stream, X509Certificate2 Presented)> StartTls(Stream stream, X509Certificate2 expected, CancellationToken cancellation)
    {
        await PgFrames.Write(stream, '\0', PgFrames.Int32(SslRequestCode), cancellation);
        var answer = new byte[1];
        await stream.ReadExactlyAsync(answer, cancellation);
        if (answer[0] != (byte)'S')
        {
            throw new InvalidOperationException($"The server answered SSLRequest with '{(char)answer[0]}', not 'S'.");
        }

        X509Certificate2? presented = null;
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                // The test CA is not a system trust anchor: accept exactly the fixture's certificate, and keep it.
                presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return presented is not null && presented.RawData.AsSpan().SequenceEqual(expected.RawData);
            },
        }, cancellation);
        return (tls, presented!);
    }

    private static async Task<PgLoginResult> Authenticate(Stream stream, PgLogin login, X509Certificate2? presented, CancellationToken cancellation)
    {
        IReadOnlyList<string> offered = [];
        string? mechanismName = null;
        ScramClient? scram = null;
        var authenticated = false;
        for (var i = 0; i < MaxMessagesBeforeReady; i++)
        {
            var (type, body) = await PgFrames.Read(stream, cancellation);
            switch (type)
            {
                case 'E':
                    return new PgLoginResult(offered, mechanismName, scram?.IsAuthenticated ?? false, false, PgFrames.Error(body), presented);
                case 'R' when body.Length >= 4:
                    var code = BinaryPrimitives.ReadInt32BigEndian(body);
                    var data = body.AsSpan(4);
                    switch (code)
                    {
                        case 10:
                            offered = [.. PgFrames.CStrings(data).Where(m => m.Length > 0)];
                            var binding = login.ChannelBinding is { } bind && presented is not null ? bind(presented) : null;
                            var mechanism = login.ChannelBinding is null ? ScramMechanism.Sha256 : ScramMechanism.Sha256Plus;
                            mechanismName = mechanism.Name;
                            scram = new ScramClient(mechanism, login.User, login.Password, binding);
                            var clientFirst = Encoding.UTF8.GetBytes(scram.CreateClientFirst());
                            await PgFrames.Write(stream, 'p', [.. PgFrames.CString(mechanism.Name), .. PgFrames.Int32(clientFirst.Length), .. clientFirst], cancellation);
                            break;
                        case 11 when scram is not null:
                            await PgFrames.Write(stream, 'p', Encoding.UTF8.GetBytes(scram.CreateClientFinal(Encoding.UTF8.GetString(data))), cancellation);
                            break;
                        case 12 when scram is not null:
                            scram.VerifyServerFinal(Encoding.UTF8.GetString(data));
                            break;
                        case 0 when scram is { IsAuthenticated: true }:
                            authenticated = true;
                            break;
                        default:
                            throw new InvalidDataException($"Unexpected authentication request {code} (mechanism {mechanismName ?? "none yet"}, server verified {scram?.IsAuthenticated ?? false}).");
                    }

                    break;
                case 'Z' when authenticated:
                    return new PgLoginResult(offered, mechanismName, true, true, null, presented);
                case 'S' or 'K' or 'N' when authenticated || type == 'N':
                    break; // ParameterStatus, BackendKeyData, NoticeResponse
                default:
                    throw new InvalidDataException($"Unexpected backend message '{type}' during login.");
            }
        }

        throw new InvalidDataException($"No ReadyForQuery within {MaxMessagesBeforeReady} messages.");
    }
}
