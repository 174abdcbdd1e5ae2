using MutualAuth.Scram;

namespace MutualAuth.Tests.Scram;

/// <summary>
/// testdata/scram/saslprep.txt: what a real PostgreSQL 15 server accepted and refused (SASLprep of the password, raw
/// UTF-8 bytes when SASLprep fails). A verifier made from the stored password must accept exactly the same logins.
/// </summary>
public sealed class PostgresSaslPrepTests
{
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static TheoryData<string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "testdata", "scram", "saslprep.txt")))
        {
            if (line.StartsWith('#') || line.Trim().Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            data.Add(fields[0], fields[1], fields[2] == "accept");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_login_is_accepted_exactly_when_postgresql_accepts_it(string stored, string login, bool accepted)
    {
        var credential = ScramCredential.Create(ScramMechanism.Sha256, EscapedText.Unescape(stored));
        var server = new ScramServer(ScramMechanism.Sha256, u => u == "alice" ? credential : null, Secret);
        var client = new ScramClient(ScramMechanism.Sha256, "alice", EscapedText.Unescape(login));

        var clientFinal = client.CreateClientFinal(server.HandleClientFirst(client.CreateClientFirst()));

        if (accepted)
        {
            client.VerifyServerFinal(server.HandleClientFinal(clientFinal));
            Assert.True(client.IsAuthenticated && server.IsAuthenticated);
        }
        else
        {
            Assert.Equal(ScramError.InvalidProof, Assert.Throws<ScramException>(() => server.HandleClientFinal(clientFinal)).Error);
        }
    }

    [Fact]
    public void A_password_saslprep_refuses_is_hashed_as_its_raw_utf8_bytes()
    {
        var salt = new byte[16];
        var viaScram = ScramCredential.Derive(ScramMechanism.Sha256, "foo\u0007bar", salt, 4096);
        var salted = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2("foo\u0007bar"u8, salt, 4096, System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
        var expected = ScramMechanism.Sha256.H(ScramMechanism.Sha256.Hmac(salted, "Client Key"u8));

        Assert.Equal(expected, viaScram.StoredKey);
        Assert.Equal(ScramCredential.Derive(ScramMechanism.Sha256, "IX", salt, 4096).StoredKey, ScramCredential.Derive(ScramMechanism.Sha256, "I\u00ADX", salt, 4096).StoredKey);
    }

    /// <summary>Literal strings: xUnit's InlineData would replace a lone surrogate with U+FFFD.</summary>
    [Fact]
    public void Empty_passwords_and_lone_surrogates_are_refused()
    {
        foreach (var password in new[] { "", "pass\uD800word", "\uDC00" })
        {
            Assert.Equal(ScramError.UnsupportedCharacters, Assert.Throws<ScramException>(() => ScramCredential.Create(ScramMechanism.Sha256, password)).Error);
            Assert.Equal(ScramError.UnsupportedCharacters, Assert.Throws<ScramException>(() => new ScramClient(ScramMechanism.Sha256, "u", password)).Error);
        }
    }
}
