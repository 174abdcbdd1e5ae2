using System.Net;
using System.Text;
using MailKit.Security;
using MutualAuth.Scram;

namespace MutualAuth.Tests.Scram;

/// <summary>MailKit's SCRAM client (an implementation we did not write) against our <see cref="ScramServer"/>.</summary>
public sealed class MailKitInteropTests
{
    private static readonly byte[] Secret = new byte[32];

    public static TheoryData<string> Mechanisms() => new() { "SCRAM-SHA-256", "SCRAM-SHA-512" };

    private static (SaslMechanism Client, ScramMechanism Server) Pair(string name, NetworkCredential credential) => name switch
    {
        "SCRAM-SHA-256" => (new SaslMechanismScramSha256(credential), ScramMechanism.Sha256),
        _ => (new SaslMechanismScramSha512(credential), ScramMechanism.Sha512),
    };

    private static string Encode(string message) => Convert.ToBase64String(Encoding.UTF8.GetBytes(message));

    private static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public void MailKit_completes_an_exchange_and_accepts_our_server_signature(string name)
    {
        var (mailKit, mechanism) = Pair(name, new NetworkCredential("alice", "correct horse battery"));
        var credential = ScramCredential.Create(mechanism, "correct horse battery");
        var server = new ScramServer(mechanism, u => u == "alice" ? credential : null, Secret);

        var serverFirst = server.HandleClientFirst(Decode(mailKit.Challenge(null)));
        var serverFinal = server.HandleClientFinal(Decode(mailKit.Challenge(Encode(serverFirst))));
        var last = mailKit.Challenge(Encode(serverFinal));

        Assert.True(server.IsAuthenticated);
        Assert.Equal("", last);
        Assert.True(mailKit.IsAuthenticated);
    }

    [Theory]
    [MemberData(nameof(Mechanisms))]
    public void Our_server_refuses_MailKit_with_a_wrong_password(string name)
    {
        var (mailKit, mechanism) = Pair(name, new NetworkCredential("alice", "wrong"));
        var credential = ScramCredential.Create(mechanism, "correct horse battery");
        var server = new ScramServer(mechanism, u => u == "alice" ? credential : null, Secret);

        var serverFirst = server.HandleClientFirst(Decode(mailKit.Challenge(null)));
        var clientFinal = Decode(mailKit.Challenge(Encode(serverFirst)));

        Assert.Equal(ScramError.InvalidProof, Assert.Throws<ScramException>(() => server.HandleClientFinal(clientFinal)).Error);
    }
}
