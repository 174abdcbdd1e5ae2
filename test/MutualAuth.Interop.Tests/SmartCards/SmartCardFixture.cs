using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.SmartCards;

/// <summary>
/// SoftHSM2 as the card: a CA, a card enrolled on a token with 'card enroll', a server certificate whose key is on a
/// token, and serve started once with /whoami reserved to cards (mtls:hwk) and /open for any client certificate.
/// </summary>
public sealed class SmartCardFixture : IAsyncLifetime
{
    public const string Card = "alice-card";

    /// <summary>The RFC 9421 client whose registered public key is the card's.</summary>
    public const string SignatureClient = "card-signer";

    /// <summary>A second card with an RSA key (3072 bits).</summary>
    public const string RsaCard = "rsa-card";

    private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-card-").FullName;

    public string DataDirectory => Path.Combine(_root, "data");

    public string PinFile => Path.Combine(_root, "pin");

    public string ServerChain => Path.Combine(_root, "server-chain.pem");

    public string CardChain => Path.Combine(DataDirectory, "cards", Card + ".pem");

    public string Root => Path.Combine(DataDirectory, "ca", "root.pem");

    /// <summary>The key of the card, as curl and openssl name it.</summary>
    public static string CardKeyUri => KeyUri(Card);

    public static string KeyUri(string card) => $"pkcs11:token={SoftHsm.EnrolToken};object={card};type=private";

    public string ChainOf(string card) => Path.Combine(DataDirectory, "cards", card + ".pem");

    internal ServeProcess Serve { get; private set; } = null!;

    /// <summary>Everything printed by the commands the fixture ran (checked for the PIN).</summary>
    public List<string> Output { get; } = [];

    public async Task InitializeAsync()
    {
        await SoftHsm.Ready();
        await File.WriteAllTextAsync(PinFile, SoftHsm.Pin + "\n");
        File.SetUnixFileMode(PinFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Cli("ca", "init", "--name", "Card");
        await Cli("card", "enroll", "--token", SoftHsm.EnrolToken, "--module", SoftHsm.Module, "--name", Card, "--pin-file", PinFile);
        await Cli("card", "enroll", "--token", SoftHsm.EnrolToken, "--module", SoftHsm.Module, "--name", RsaCard, "--key-type", "rsa", "--pin-file", PinFile);

        // The card's public key registered for RFC 9421 signatures: the card signs requests as well as handshakes.
        var publicKey = Path.Combine(_root, "card-public.pem");
        Output.Add((await Tool.Run("openssl", ["x509", "-in", CardChain, "-pubkey", "-noout", "-out", publicKey])).ToString());
        await Cli("key", "create", "--client", SignatureClient, "--alg", "ecdsa-p256-sha256", "--public-key", publicKey);

        // The server's key is on a token too (P-384): openssl makes the request on the token through the engine.
        var csr = Path.Combine(_root, "server.csr");
        Output.Add((await Tool.Run("openssl", ["req", "-new", "-engine", "pkcs11", "-keyform", "engine", "-key", SoftHsm.KeyUri(SoftHsm.Ec384),
            "-passin", "file:" + PinFile, "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-out", csr])).ToString());
        await Cli("ca", "sign", csr, "--profile", "server", "--out", ServerChain);
        Serve = await ServeProcess.Start(DataDirectory, "--cert", ServerChain, "--key", SoftHsm.KeyUri(SoftHsm.Ec384), "--module", SoftHsm.Module,
            "--pin-file", PinFile, "--route", "/whoami=mtls:hwk", "--route", "/open=mtls", "--route", "/signed=sig");
    }

    public async Task DisposeAsync()
    {
        await Serve.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    internal async Task<ProcessResult> Cli(params string[] args)
    {
        var result = await Tool.MutualAuth(["--data-dir", DataDirectory, .. args]);
        Output.Add(result.ToString());
        return result.ExitCode == 0 ? result : throw new InvalidOperationException($"mutualauth {string.Join(' ', args)}: {result}");
    }
}
