using System.Security.Cryptography;
using System.Text;
using MutualAuth.Scram;

namespace MutualAuth.Tests.Scram;

/// <summary>
/// Each SCRAM message is read against RFC 5802 §7's grammar: attributes in their fixed order, each once, optional
/// extensions only where the grammar allows them and never under RFC 5802's own names, <c>m=</c> refused. Proofs and
/// signatures in the malformed variants are computed over the malformed message, so only the grammar refuses them.
/// </summary>
public sealed class ScramGrammarTests
{
    private const string ClientNonce = "fyko+d2lbbFgONRv9qkxdawL";
    private const string ServerNonce = "3rfcNHYJY1ZVvWVs7j";
    private const string Nonce = ClientNonce + ServerNonce;
    private const string Password = "pencil";
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Salt = Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static readonly ScramCredential Credential = ScramCredential.Derive(ScramMechanism.Sha256, Password, Salt, 4096);
    private static readonly string ServerFirst = $"r={Nonce},s={Convert.ToBase64String(Salt)},i=4096";

    public static TheoryData<string, ScramError> BadClientFirsts => new()
    {
        { "n,,n=user,r=abc,r=evil", ScramError.InvalidEncoding },
        { "n,,n=user,n=admin,r=abc", ScramError.InvalidEncoding },
        { "n,,n=user,r=abc,n=admin", ScramError.InvalidEncoding },
        { "n,,r=abc,n=user", ScramError.InvalidEncoding },
        { "n,,n=user", ScramError.InvalidEncoding },
        { "n,,r=abc", ScramError.InvalidEncoding },
        { "n,,n=user,r=abc,m=ext", ScramError.InvalidEncoding },
        { "n,,n=user,m=ext,r=abc", ScramError.InvalidEncoding },
        { "n,,m=ext,n=user,r=abc", ScramError.ExtensionsNotSupported },
        { "n,,n=user,r=abc,x=1,x=2", ScramError.InvalidEncoding },
        { "n,,n=user,r=abc,p=proof", ScramError.InvalidEncoding },
        { "n,,n=user,r=abc,c=biws", ScramError.InvalidEncoding },
        { "n,,n=user,r=abc,s=c2FsdA==", ScramError.InvalidEncoding },
        { "n,,n=user,r=abc,i=4096", ScramError.InvalidEncoding },
        { "n,,n=user,r=abc,v=c2ln", ScramError.InvalidEncoding },
        { "n,,n=user,r=abc,e=x", ScramError.InvalidEncoding },
        { "n,,n=user,r=abc,a=admin", ScramError.InvalidEncoding },
        { "n,,N=user,r=abc", ScramError.InvalidEncoding },
        { "n,,n=user,r=", ScramError.InvalidEncoding },
        { "n,,n=user,r=abc,", ScramError.InvalidEncoding },
        { "n,,n=user,,r=abc", ScramError.InvalidEncoding },
        { "n,,n=us\0er,r=abc", ScramError.InvalidEncoding },
        { "n,,n=user,r=abc,x", ScramError.InvalidEncoding },
        { "n,,n=user,r=abc,1=x", ScramError.InvalidEncoding },
        { "n,,", ScramError.InvalidEncoding },
    };

    /// <summary>client-final variants; <c>{C}</c> is the channel binding, <c>{N}</c> the combined nonce, <c>{P}</c> a proof over the text before the last <c>,p=</c>.</summary>
    public static TheoryData<string> BadClientFinals => new()
    {
        "c={C},r={N},r={N},p={P}",
        "c={C},r={N},r=other,p={P}",
        "c={C},c={C},r={N},p={P}",
        "c={C},r={N},c={C},p={P}",
        "r={N},c={C},p={P}",
        "c={C},p={P},r={N}",
        "c={C},r={N},p={P},p={P}",
        "c={C},r={N},p={P},x=late",
        "c={C},r={N}",
        "c={C},p={P}",
        "r={N},p={P}",
        "m=ext,c={C},r={N},p={P}",
        "c={C},r={N},m=ext,p={P}",
        "c={C},r={N},x=1,x=1,p={P}",
        "c={C},r={N},n=user,p={P}",
        "c={C},r={N},s=c2FsdA==,p={P}",
        "c={C},r={N},i=4096,p={P}",
        "c={C},r={N},v=c2ln,p={P}",
        "c={C},r={N},e=x,p={P}",
        "c={C},r={N},a=admin,p={P}",
        "C={C},r={N},p={P}",
        "c={C},r={N},,p={P}",
        "c={C},r={N},p=",
        "c={C},r={N},x=,p={P}",
    };

    /// <summary>server-first variants; <c>{N}</c> extends the client's nonce, <c>{S}</c> is the salt.</summary>
    public static TheoryData<string, ScramError> BadServerFirsts => new()
    {
        { "r={N},s={S},i=4096,i=1000000", ScramError.InvalidEncoding },
        { "r={N},s={S},i=4096,s=AAAA", ScramError.InvalidEncoding },
        { "r={N},s={S},i=4096,r={N}x", ScramError.InvalidEncoding },
        { "r={N},r={N}x,s={S},i=4096", ScramError.InvalidEncoding },
        { "r={N},s={S},s={S},i=4096", ScramError.InvalidEncoding },
        { "s={S},r={N},i=4096", ScramError.InvalidEncoding },
        { "r={N},i=4096,s={S}", ScramError.InvalidEncoding },
        { "r={N},s={S}", ScramError.InvalidEncoding },
        { "r={N},i=4096", ScramError.InvalidEncoding },
        { "r={N},s={S},m=ext,i=4096", ScramError.InvalidEncoding },
        { "r={N},s={S},i=4096,m=ext", ScramError.InvalidEncoding },
        { "m=ext,r={N},s={S},i=4096", ScramError.ExtensionsNotSupported },
        { "r={N},s={S},i=4096,x=1,x=2", ScramError.InvalidEncoding },
        { "r={N},s={S},i=4096,v=c2ln", ScramError.InvalidEncoding },
        { "r={N},s={S},i=4096,e=other-error", ScramError.InvalidEncoding },
        { "r={N},s={S},i=4096,n=user", ScramError.InvalidEncoding },
        { "r={N},s={S},i=4096,p=proof", ScramError.InvalidEncoding },
        { "r={N},s={S},i=4096,", ScramError.InvalidEncoding },
        { "r={N},s=,i=4096", ScramError.InvalidEncoding },
        { "r={N},s={S},i=04096", ScramError.IterationCountOutOfRange },
        { "R={N},s={S},i=4096", ScramError.InvalidEncoding },
        { "e=other-error,e=invalid-proof", ScramError.InvalidEncoding },
    };

    /// <summary>server-final variants; <c>{V}</c> is the right ServerSignature.</summary>
    public static TheoryData<string, ScramError> BadServerFinals => new()
    {
        { "v={V},v=AAAA", ScramError.InvalidEncoding },
        { "v={V},v={V}", ScramError.InvalidEncoding },
        { "v={V},e=invalid-proof", ScramError.InvalidEncoding },
        { "v={V},m=ext", ScramError.InvalidEncoding },
        { "m=ext,v={V}", ScramError.InvalidEncoding },
        { "v={V},x=1,x=2", ScramError.InvalidEncoding },
        { "v={V},r={N}", ScramError.InvalidEncoding },
        { "v={V},p=proof", ScramError.InvalidEncoding },
        { "x=1,v={V}", ScramError.InvalidEncoding },
        { "v={V},", ScramError.InvalidEncoding },
        { "V={V}", ScramError.InvalidEncoding },
        { "v=", ScramError.InvalidEncoding },
        { "e=invalid-proof,v={V}", ScramError.InvalidEncoding },
        { "e=invalid-proof", ScramError.ServerError },
    };

    [Theory]
    [MemberData(nameof(BadClientFirsts))]
    public void The_server_refuses_a_client_first_outside_the_grammar(string clientFirst, ScramError expected)
    {
        var server = new ScramServer(ScramMechanism.Sha256, _ => Credential, Secret);

        var error = Assert.Throws<ScramException>(() => server.HandleClientFirst(clientFirst));

        Assert.Equal(expected, error.Error);
        Assert.Equal(expected == ScramError.InvalidEncoding ? "e=invalid-encoding" : "e=extensions-not-supported", ScramServer.ErrorMessage(error.Error));
        Assert.Throws<ScramException>(() => server.HandleClientFinal("c=biws,r=abc,p=AAAA"));
    }

    [Fact]
    public void The_server_ignores_one_unknown_optional_extension_in_client_first()
    {
        var server = new ScramServer(ScramMechanism.Sha256, _ => Credential, Secret, serverNonce: ServerNonce);

        Assert.Equal(ServerFirst, server.HandleClientFirst($"n,,n=user,r={ClientNonce},x=optional"));
    }

    [Theory]
    [MemberData(nameof(BadClientFinals))]
    public void The_server_refuses_a_client_final_outside_the_grammar_even_with_a_proof_over_it(string template)
    {
        var clientFirstBare = $"n=user,r={ClientNonce}";
        var server = new ScramServer(ScramMechanism.Sha256, _ => Credential, Secret, serverNonce: ServerNonce);
        Assert.Equal(ServerFirst, server.HandleClientFirst("n,," + clientFirstBare));
        var withoutProofTemplate = template.Contains(",p={P}", StringComparison.Ordinal) ? template[..template.LastIndexOf(",p={P}", StringComparison.Ordinal)] : template;
        var withoutProof = Fill(withoutProofTemplate, "");
        var clientFinal = Fill(template, Proof($"{clientFirstBare},{ServerFirst},{withoutProof}"));

        var error = Assert.Throws<ScramException>(() => server.HandleClientFinal(clientFinal));

        Assert.Equal(ScramError.InvalidEncoding, error.Error);
        Assert.Equal("e=invalid-encoding", ScramServer.ErrorMessage(error.Error));
        Assert.False(server.IsAuthenticated);
    }

    [Fact]
    public void The_proof_helper_makes_a_well_formed_client_final_that_the_server_accepts_also_with_an_optional_extension()
    {
        foreach (var template in new[] { "c={C},r={N},p={P}", "c={C},r={N},x=optional,p={P}" })
        {
            var clientFirstBare = $"n=user,r={ClientNonce}";
            var server = new ScramServer(ScramMechanism.Sha256, _ => Credential, Secret, serverNonce: ServerNonce);
            server.HandleClientFirst("n,," + clientFirstBare);
            var withoutProof = Fill(template[..template.LastIndexOf(",p={P}", StringComparison.Ordinal)], "");

            server.HandleClientFinal(Fill(template, Proof($"{clientFirstBare},{ServerFirst},{withoutProof}")));

            Assert.True(server.IsAuthenticated);
        }
    }

    [Theory]
    [MemberData(nameof(BadServerFirsts))]
    public void The_client_refuses_a_server_first_outside_the_grammar(string template, ScramError expected)
    {
        var client = new ScramClient(ScramMechanism.Sha256, "user", Password, clientNonce: ClientNonce);
        client.CreateClientFirst();

        var error = Assert.Throws<ScramException>(() => client.CreateClientFinal(Fill(template, "")));

        Assert.Equal(expected, error.Error);
        Assert.False(client.IsAuthenticated);
    }

    [Fact]
    public void The_client_ignores_one_unknown_optional_extension_in_server_first_and_server_final()
    {
        var client = new ScramClient(ScramMechanism.Sha256, "user", Password, clientNonce: ClientNonce);
        client.CreateClientFirst();
        var serverFirst = ServerFirst + ",x=optional";
        var clientFinal = client.CreateClientFinal(serverFirst);

        client.VerifyServerFinal($"v={ServerSignature($"n=user,r={ClientNonce},{serverFirst},{clientFinal[..clientFinal.LastIndexOf(",p=", StringComparison.Ordinal)]}")},x=optional");

        Assert.True(client.IsAuthenticated);
    }

    [Theory]
    [MemberData(nameof(BadServerFinals))]
    public void The_client_refuses_a_server_final_outside_the_grammar_even_with_the_right_signature(string template, ScramError expected)
    {
        var client = new ScramClient(ScramMechanism.Sha256, "user", Password, clientNonce: ClientNonce);
        client.CreateClientFirst();
        var clientFinal = client.CreateClientFinal(ServerFirst);
        var signature = ServerSignature($"n=user,r={ClientNonce},{ServerFirst},{clientFinal[..clientFinal.LastIndexOf(",p=", StringComparison.Ordinal)]}");

        var error = Assert.Throws<ScramException>(() => client.VerifyServerFinal(template.Replace("{V}", signature, StringComparison.Ordinal).Replace("{N}", Nonce, StringComparison.Ordinal)));

        Assert.Equal(expected, error.Error);
        Assert.False(client.IsAuthenticated);
    }

    private static string Fill(string template, string proof) => template
        .Replace("{C}", "biws", StringComparison.Ordinal)
        .Replace("{N}", Nonce, StringComparison.Ordinal)
        .Replace("{S}", Convert.ToBase64String(Salt), StringComparison.Ordinal)
        .Replace("{P}", proof, StringComparison.Ordinal);

    private static string Proof(string authMessage)
    {
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Password), Salt, 4096, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var signature = HMACSHA256.HashData(SHA256.HashData(clientKey), Encoding.UTF8.GetBytes(authMessage));
        return Convert.ToBase64String(clientKey.Zip(signature, (k, s) => (byte)(k ^ s)).ToArray());
    }

    private static string ServerSignature(string authMessage)
    {
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Password), Salt, 4096, HashAlgorithmName.SHA256, 32);
        return Convert.ToBase64String(HMACSHA256.HashData(HMACSHA256.HashData(salted, "Server Key"u8), Encoding.UTF8.GetBytes(authMessage)));
    }
}
