using System.CommandLine;
using System.Security.Cryptography;
using MutualAuth.Certificates;
using MutualAuth.Keys;
using MutualAuth.Keys.Pkcs11;
using MutualAuth.Storage;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli;

/// <summary>
/// CA keys on a PKCS#11 token (as step-ca's <c>kms: pkcs11</c>): <c>ca init --root-key/--intermediate-key pkcs11:…</c>
/// opens or generates them; every later <c>ca</c> command opens the intermediate key from the URI the data folder
/// records, with the PIN from <c>--pin-file</c>, <c>--pin-env</c>, the URI's <c>pin-source</c> or a prompt.
/// </summary>
internal static class CaTokenKeys
{
    /// <summary>The PIN file of the CA's token, on <c>ca</c> and every subcommand.</summary>
    public static readonly Option<string?> PinFile = new("--pin-file")
    {
        Description = "When the CA key is on a PKCS#11 token ('ca init --intermediate-key pkcs11:…'): read its PIN from this file (one trailing newline is stripped).",
        HelpName = "FILE",
        Recursive = true,
    };

    /// <summary>The PIN variable of the CA's token, on <c>ca</c> and every subcommand.</summary>
    public static readonly Option<string?> PinEnv = new("--pin-env")
    {
        Description = "When the CA key is on a PKCS#11 token: read its PIN from this environment variable.",
        HelpName = "NAME",
        Recursive = true,
    };

    /// <summary>The data folder's CA, able to open an intermediate key on a token with the PIN sources of <paramref name="parseResult"/>.</summary>
    public static LocalCertificateAuthority Authority(DataFolder folder, ParseResult parseResult, ICertificateStore? store = null)
    {
        // Commands outside 'ca' (card enroll) have no such options: the URI's pin-source or a prompt then.
        var file = parseResult.GetResult(PinFile) is null ? null : parseResult.GetValue(PinFile);
        var environment = parseResult.GetResult(PinEnv) is null ? null : parseResult.GetValue(PinEnv);
        Func<string, SigningKey> opener = uri => TokenPins.OpenKey(uri, null, file, environment);
        return store is null
            ? new LocalCertificateAuthority(folder, TimeProvider.System) { TokenKeyOpener = opener }
            : new LocalCertificateAuthority(folder, TimeProvider.System, store) { TokenKeyOpener = opener };
    }

    /// <summary>
    /// Opens the CA's token key for <c>serve</c> (renewals, first-run identities), which never prompts: only with a
    /// <c>pin-source</c> in the recorded URI.
    /// </summary>
    public static SigningKey OpenUnattended(string uri) => TokenPins.ParseUri(uri).PinSource is null
        ? throw CliException.Usage($"the CA key is on a token ({uri}) and serve cannot ask for its PIN: add ?pin-source=file:PATH to the URI in ca/intermediate-key.uri, or issue and renew with 'mutualauth ca'.")
        : TokenPins.OpenKey(uri, null, null, null);

    /// <summary>
    /// Opens (or with <paramref name="generate"/> first generates, never extractable) the CA key <paramref name="text"/> names,
    /// and the URI to record: token label and serial, object, id, module path and any pin-source; never a PIN.
    /// </summary>
    public static ExternalCaKey Open(string text, string? module, bool generate, KeyAlgorithm algorithm, ParseResult parseResult, string role)
    {
        var uri = TokenPins.ParseUri(text);
        if (uri.Type is not (null or "private"))
        {
            throw CliException.Usage($"--{role}-key must name a private key (type=private or no type), not {uri}.");
        }

        var modulePath = uri.ModulePath ?? module ?? Pkcs11Modules.Default;
        var pin = TokenPins.Read(parseResult.GetValue(PinFile), parseResult.GetValue(PinEnv), uri, $"the {role} CA key {uri}");
        try
        {
            if (generate)
            {
                uri = Generate(uri, modulePath, pin, algorithm, role);
            }

            var key = TokenSigningKey.Open(uri, modulePath, pin);
            var recorded = uri with { Serial = key.Token.Serial, Type = "private", ModulePath = modulePath };
            return new ExternalCaKey(key, recorded.ToString());
        }
        catch (TokenException e)
        {
            throw TokenPins.Error(e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pin);
        }
    }

    private static Pkcs11Uri Generate(Pkcs11Uri uri, string modulePath, byte[] pin, KeyAlgorithm algorithm, string role)
    {
        if (uri.Object is null)
        {
            throw CliException.Usage($"--generate-on-token needs object=LABEL in --{role}-key ({uri}).");
        }

        var token = Pkcs11Token.Find(modulePath, uri);
        token.Login(pin);
        if (TokenObjects.Exists(token, uri.Object))
        {
            throw CliException.Usage($"token '{token.Label}' already holds an object labelled '{uri.Object}': drop --generate-on-token to use that key, or choose another label.");
        }

        var id = uri.Id ?? RandomNumberGenerator.GetBytes(8);
        TokenObjects.GenerateKeyPair(token, uri.Object, id, algorithm switch
        {
            KeyAlgorithm.EcdsaP384 => SigningKeyAlgorithm.EcdsaP384,
            KeyAlgorithm.Rsa3072 => SigningKeyAlgorithm.Rsa,
            _ => SigningKeyAlgorithm.EcdsaP256,
        });
        return uri with { Id = id };
    }
}
