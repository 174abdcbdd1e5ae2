using System.Text;
using MutualAuth.Scram;

namespace MutualAuth.Tests.Scram;

public sealed class ScramExchangeTests
{
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static ScramMechanism Mechanism(string name) => name switch
    {
        "SCRAM-SHA-1" => ScramMechanism.Sha1ForTestVectors,
        "SCRAM-SHA-256" => ScramMechanism.Sha256,
        "SCRAM-SHA-256-PLUS" => ScramMechanism.Sha256Plus,
        "SCRAM-SHA-512" => ScramMechanism.Sha512,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static (string ClientNonce, string ServerNonce, byte[] Salt, int Iterations, ScramChannelBinding? Binding) Inputs(Dictionary<string, string> v)
    {
        var clientNonce = v["client-first"].Split(",r=")[1];
        var serverFirst = v["server-first"].Split(',');
        var combined = serverFirst[0][2..];
        var binding = v.TryGetValue("cbind-data", out var data) ? new ScramChannelBinding(v["client-first"].Split(',')[0][2..], Encoding.UTF8.GetBytes(data)) : null;
        return (clientNonce, combined[clientNonce.Length..], Convert.FromBase64String(serverFirst[1][2..]), int.Parse(serverFirst[2][2..], System.Globalization.CultureInfo.InvariantCulture), binding);
    }

    [Theory]
    [MemberData(nameof(ScramVectors.Mechanisms), MemberType = typeof(ScramVectors))]
    public void The_client_reproduces_the_vector_and_verifies_the_server(string mechanism)
    {
        var v = ScramVectors.For(mechanism);
        var (clientNonce, _, _, _, binding) = Inputs(v);
        var client = new ScramClient(Mechanism(mechanism), v["username"], v["password"], binding, clientNonce: clientNonce);

        Assert.Equal(v["client-first"], client.CreateClientFirst());
        var clientFinal = client.CreateClientFinal(v["server-first"]);
        Assert.EndsWith(v.GetValueOrDefault("client-final") ?? v["client-final-proof"], clientFinal, StringComparison.Ordinal);
        if (v.TryGetValue("client-final-c", out var c))
        {
            Assert.StartsWith(c + ",", clientFinal, StringComparison.Ordinal);
        }

        client.VerifyServerFinal(v["server-final"]);
        Assert.True(client.IsAuthenticated);
    }

    [Theory]
    [MemberData(nameof(ScramVectors.Mechanisms), MemberType = typeof(ScramVectors))]
    public void The_server_reproduces_the_vector_from_the_stored_verifier_only(string mechanism)
    {
        var v = ScramVectors.For(mechanism);
        var (clientNonce, serverNonce, salt, iterations, binding) = Inputs(v);
        var credential = ScramCredential.Derive(Mechanism(mechanism), v["password"], salt, iterations);
        if (v.TryGetValue("stored-key", out var storedKey))
        {
            Assert.Equal(storedKey, Convert.ToBase64String(credential.StoredKey));
            Assert.Equal(v["server-key"], Convert.ToBase64String(credential.ServerKey));
        }

        var server = new ScramServer(Mechanism(mechanism), user => user == v["username"] ? credential : null, Secret, binding, serverNonce);
        var client = new ScramClient(Mechanism(mechanism), v["username"], v["password"], binding, clientNonce: clientNonce);

        Assert.Equal(v["server-first"], server.HandleClientFirst(client.CreateClientFirst()));
        Assert.Equal(v["server-final"], server.HandleClientFinal(client.CreateClientFinal(v["server-first"])));
        Assert.True(server.IsAuthenticated);
        Assert.Equal("user", server.UserName);
    }

    [Fact]
    public void A_postgres_verifier_round_trips()
    {
        var v = ScramVectors.For("SCRAM-SHA-256");

        var credential = ScramCredential.ParsePostgres(v["postgres-verifier"]);

        Assert.Equal(v["postgres-verifier"], credential.ToPostgres());
        Assert.Equal(v["stored-key"], Convert.ToBase64String(credential.StoredKey));
    }

    [Theory]
    [InlineData("SCRAM-SHA-256$4096:abc")]
    [InlineData("SCRAM-SHA-1$4096:QSXCR+Q6sek8bf92$a:b")]
    [InlineData("md5abcdef")]
    public void Malformed_postgres_verifiers_are_refused(string verifier) => Assert.Throws<FormatException>(() => ScramCredential.ParsePostgres(verifier));

    [Fact]
    public void A_random_exchange_completes_in_both_directions()
    {
        var credential = ScramCredential.Create(ScramMechanism.Sha512, "correct horse");
        var server = new ScramServer(ScramMechanism.Sha512, u => u == "a=b,c" ? credential : null, Secret);
        var client = new ScramClient(ScramMechanism.Sha512, "a=b,c", "correct horse");

        var serverFirst = server.HandleClientFirst(client.CreateClientFirst());
        client.VerifyServerFinal(server.HandleClientFinal(client.CreateClientFinal(serverFirst)));

        Assert.True(client.IsAuthenticated && server.IsAuthenticated);
        Assert.Equal("a=b,c", server.UserName);
    }

    [Fact]
    public void A_wrong_password_and_an_unknown_user_fail_alike_with_a_stable_salt()
    {
        var credential = ScramCredential.Create(ScramMechanism.Sha256, "right");
        ScramException Attempt(string user, string password, out string serverFirst)
        {
            var server = new ScramServer(ScramMechanism.Sha256, u => u == "alice" ? credential : null, Secret);
            var client = new ScramClient(ScramMechanism.Sha256, user, password);
            serverFirst = server.HandleClientFirst(client.CreateClientFirst());
            var clientFinal = client.CreateClientFinal(serverFirst);
            return Assert.Throws<ScramException>(() => server.HandleClientFinal(clientFinal));
        }

        var wrong = Attempt("alice", "wrong", out _);
        var unknown1 = Attempt("mallory", "x", out var first1);
        var unknown2 = Attempt("mallory", "y", out var first2);

        Assert.Equal(ScramError.InvalidProof, wrong.Error);
        Assert.Equal(ScramError.InvalidProof, unknown1.Error);
        Assert.Equal(first1.Split(",s=")[1], first2.Split(",s=")[1]);
        Assert.Equal("e=invalid-proof", ScramServer.ErrorMessage(unknown1.Error));
    }

    [Fact]
    public void The_client_refuses_a_server_that_fakes_or_skips_the_signature()
    {
        var v = ScramVectors.For("SCRAM-SHA-256");
        var client = new ScramClient(ScramMechanism.Sha256, "user", "pencil", clientNonce: "rOprNGfwEbeRWgbNEkqO");
        client.CreateClientFirst();
        client.CreateClientFinal(v["server-first"]);

        var error = Assert.Throws<ScramException>(() => client.VerifyServerFinal("v=" + Convert.ToBase64String(new byte[32])));

        Assert.Equal(ScramError.InvalidServerSignature, error.Error);
        Assert.False(client.IsAuthenticated);
        Assert.DoesNotContain(v["server-final"][2..], error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("r=otherNonce123,s=QSXCR+Q6sek8bf92,i=4096", ScramError.NonceMismatch)]
    [InlineData("r=abc,s=QSXCR+Q6sek8bf92,i=4096", ScramError.NonceMismatch)]
    [InlineData("r=abcdef,s=QSXCR+Q6sek8bf92,i=4095", ScramError.IterationCountOutOfRange)]
    [InlineData("r=abcdef,s=QSXCR+Q6sek8bf92,i=2000000", ScramError.IterationCountOutOfRange)]
    [InlineData("m=ext,r=abcdef,s=QSXCR+Q6sek8bf92,i=4096", ScramError.ExtensionsNotSupported)]
    [InlineData("e=unknown-user", ScramError.ServerError)]
    [InlineData("garbage", ScramError.InvalidEncoding)]
    public void The_client_refuses_a_bad_server_first(string serverFirst, ScramError expected)
    {
        var client = new ScramClient(ScramMechanism.Sha256, "user", "pencil", clientNonce: "abc");
        client.CreateClientFirst();

        Assert.Equal(expected, Assert.Throws<ScramException>(() => client.CreateClientFinal(serverFirst)).Error);
    }

    [Fact]
    public void The_server_refuses_a_channel_binding_downgrade_and_a_wrong_binding()
    {
        var credential = ScramCredential.Create(ScramMechanism.Sha256Plus, "pw");
        var binding = new ScramChannelBinding("tls-server-end-point", [1, 2, 3]);
        var plainServer = new ScramServer(ScramMechanism.Sha256, _ => credential, Secret, binding);
        var plusServer = new ScramServer(ScramMechanism.Sha256Plus, _ => credential, Secret, binding);
        var wrongBinding = new ScramClient(ScramMechanism.Sha256Plus, "u", "pw", new ScramChannelBinding("tls-server-end-point", [9, 9, 9]));

        Assert.Equal(ScramError.ChannelBindingMismatch, Assert.Throws<ScramException>(() => plainServer.HandleClientFirst("y,,n=u,r=abc")).Error);
        var serverFirst = plusServer.HandleClientFirst(wrongBinding.CreateClientFirst());
        var clientFinal = wrongBinding.CreateClientFinal(serverFirst);
        Assert.Equal(ScramError.ChannelBindingMismatch, Assert.Throws<ScramException>(() => plusServer.HandleClientFinal(clientFinal)).Error);
        Assert.Throws<ScramException>(() => new ScramClient(ScramMechanism.Sha256Plus, "u", "pw"));
    }

    [Fact]
    public void An_unknown_user_gets_different_stable_salts_per_mechanism_like_a_real_one()
    {
        string Salt(ScramMechanism mechanism) =>
            new ScramServer(mechanism, _ => null, Secret).HandleClientFirst("n,,n=nobody,r=abc").Split(",s=")[1].Split(',')[0];

        Assert.NotEqual(Salt(ScramMechanism.Sha256), Salt(ScramMechanism.Sha512));
        Assert.Equal(Salt(ScramMechanism.Sha512), Salt(ScramMechanism.Sha512));
    }

    [Fact]
    public void A_client_that_could_bind_sends_y_so_a_server_offering_plus_detects_the_downgrade()
    {
        var credential = ScramCredential.Create(ScramMechanism.Sha256, "pw");
        var binding = new ScramChannelBinding("tls-server-end-point", [1, 2, 3]);
        var client = new ScramClient(ScramMechanism.Sha256, "u", "pw", binding);
        var first = client.CreateClientFirst();
        var offeringPlus = new ScramServer(ScramMechanism.Sha256, _ => credential, Secret, binding);
        var notOffering = new ScramServer(ScramMechanism.Sha256, _ => credential, Secret);

        Assert.StartsWith("y,,", first, StringComparison.Ordinal);
        Assert.Equal(ScramError.ChannelBindingMismatch, Assert.Throws<ScramException>(() => offeringPlus.HandleClientFirst(first)).Error);
        client.VerifyServerFinal(notOffering.HandleClientFinal(client.CreateClientFinal(notOffering.HandleClientFirst(first))));
        Assert.True(client.IsAuthenticated);
    }

    [Theory]
    [InlineData("n,,m=ext,n=u,r=abc", ScramError.ExtensionsNotSupported)]
    [InlineData("n,a=admin,n=u,r=abc", ScramError.InvalidEncoding)]
    [InlineData("n,,n=u=2Xx,r=abc", ScramError.InvalidEncoding)]
    [InlineData("p=tls-unique,,n=u,r=abc", ScramError.ChannelBindingMismatch)]
    public void The_server_refuses_a_bad_client_first(string clientFirst, ScramError expected)
    {
        var server = new ScramServer(ScramMechanism.Sha256, _ => null, Secret);

        Assert.Equal(expected, Assert.Throws<ScramException>(() => server.HandleClientFirst(clientFirst)).Error);
    }

    [Fact]
    public void Names_saslprep_refuses_are_refused_and_other_non_ascii_names_and_passwords_work()
    {
        Assert.Equal(ScramError.UnsupportedCharacters, Assert.Throws<ScramException>(() => new ScramClient(ScramMechanism.Sha256, "a\u0007b", "pw")).Error);
        Assert.Equal(ScramError.UnsupportedCharacters, Assert.Throws<ScramException>(() => new ScramClient(ScramMechanism.Sha256, "\u0627\u0031", "pw")).Error);
        Assert.Equal(ScramError.UnsupportedCharacters, Assert.Throws<ScramException>(() => new ScramClient(ScramMechanism.Sha256, "user", "")).Error);
        var server = new ScramServer(ScramMechanism.Sha256, _ => null, Secret);
        var refused = Assert.Throws<ScramException>(() => server.HandleClientFirst("n,,n=a\u0007b,r=abc"));
        Assert.Equal(ScramError.UnsupportedCharacters, refused.Error);
        Assert.Equal("e=invalid-username-encoding", ScramServer.ErrorMessage(refused.Error));

        Assert.Equal("n,,n=Zo\u00EB,r=abc", new ScramClient(ScramMechanism.Sha256, "Zoe\u0308", "pass\u00ADword", clientNonce: "abc").CreateClientFirst());
    }

    [Theory]
    [InlineData("Jos\u00E9", "Jos\u00E9", "Jos\u00E9")]
    [InlineData("I\u00ADX", "IX", "IX")]
    [InlineData("\u2168", "IX", "IX")]
    [InlineData("IX", "I\u00ADX", "IX")]
    [InlineData("\u0645\u0631\u064A\u0645", "\u0645\u0631\u064A\u0645", "\u0645\u0631\u064A\u0645")]
    public void Non_ascii_user_names_round_trip_in_their_prepared_form(string stored, string login, string prepared)
    {
        Assert.True(ScramCredential.TryPrepareUserName(stored, out var storedName));
        var credential = ScramCredential.Create(ScramMechanism.Sha256, "p\u00E4ssw\u00F6rd");
        var server = new ScramServer(ScramMechanism.Sha256, u => u == storedName ? credential : null, Secret);
        var client = new ScramClient(ScramMechanism.Sha256, login, "pa\u0308ssw\u00F6rd");

        client.VerifyServerFinal(server.HandleClientFinal(client.CreateClientFinal(server.HandleClientFirst(client.CreateClientFirst()))));

        Assert.True(client.IsAuthenticated && server.IsAuthenticated);
        Assert.Equal(prepared, server.UserName);
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("Jos\u00E9", true)]
    [InlineData("\u00AD", false)]
    [InlineData("a\u0007", false)]
    [InlineData("", false)]
    public void Supported_user_names_are_those_saslprep_accepts_up_to_255_characters(string name, bool supported)
    {
        Assert.Equal(supported, ScramCredential.IsSupportedUserName(name));
        Assert.True(ScramCredential.IsSupportedUserName(new string('a', 255)));
        Assert.False(ScramCredential.IsSupportedUserName(new string('a', 256)));
        Assert.True(ScramCredential.IsSupportedUserName("\u00AD" + new string('a', 255)));
    }
}
