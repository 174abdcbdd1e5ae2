using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MutualAuth.Storage;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Tokens;
using Spectre.Console;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth client …</c>: OAuth 2.0 clients of the built-in authorization server (route method <c>token</c>).</summary>
internal static class ClientCommand
{
    public static Command Create()
    {
        var client = new Command("client", "Manage OAuth 2.0 clients of the built-in authorization server (client credentials with private_key_jwt or mTLS; routes of method 'token').") { SharedStore.Option() };
        client.Subcommands.Add(Add());
        client.Subcommands.Add(List());
        client.Subcommands.Add(Remove());
        client.Subcommands.Add(Rotate());
        return client;
    }

    private static Argument<string> Name() => new("NAME") { Description = "The client_id (letters, digits, '.', '_', '-')." };

    private static Command Add()
    {
        var name = Name();
        var jwks = new Option<string?>("--jwks") { Description = "Register these public keys (a JWKS file) instead of generating a key pair: the private key never leaves the client.", HelpName = "FILE" };
        var mtls = new Option<bool>("--mtls") { Description = "The client authenticates with its TLS certificate (tls_client_auth, RFC 8705) and gets certificate-bound tokens." };
        var subject = new Option<string?>("--subject") { Description = "With --mtls: the certificate subject (CN or SAN the gateway reports) the client must present; default NAME.", HelpName = "SUBJECT" };
        var scope = new Option<string[]>("--scope") { Description = "A scope the client may ask for (repeatable).", HelpName = "SCOPE" };
        var output = new Option<string?>("--out") { Description = "Where to write the credential file (default: credentials/NAME.oauth.json in the data folder).", HelpName = "FILE" };
        var key = new Option<string?>("--key") { Description = "The client's key is on a PKCS#11 token (smart card, HSM), pkcs11:token=LABEL;object=KEY: its public key is registered and the credential file names the key (never a PIN); 'call --client NAME --pin-file FILE' signs assertions on the token.", HelpName = "URI" };
        var module = TokenPins.ModuleOption();
        var pinFile = TokenPins.FileOption();
        var pinEnv = TokenPins.EnvironmentOption();
        var command = new Command("add", "Register a client. Without --jwks, --key or --mtls, creates an ES256 key pair and writes the client's credential file (private_key_jwt).") { name, jwks, mtls, subject, scope, output, key, module, pinFile, pinEnv };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var clientId = ValidName(parseResult.GetValue(name)!);
            var jwksFile = parseResult.GetValue(jwks);
            var isMtls = parseResult.GetValue(mtls);
            var tokenKey = parseResult.GetValue(key);
            if (new[] { isMtls, jwksFile is not null, tokenKey is not null }.Count(given => given) > 1)
            {
                throw CliException.Usage("--jwks, --key and --mtls exclude each other.");
            }

            if (!isMtls && parseResult.GetValue(subject) is not null)
            {
                throw CliException.Usage("--subject needs --mtls.");
            }

            var scopes = parseResult.GetValue(scope) ?? [];
            if (scopes.Any(s => s.Length is 0 or > 64 || s.Any(c => c is <= ' ' or '"' or '\\' or > '~')))
            {
                throw CliException.Usage("a --scope is 1-64 printable ASCII characters without spaces, '\"' or '\\'.");
            }

            var folder = GlobalOptions.Folder(parseResult);
            folder.EnsureCreated();
            OAuthClientCredential? credential = null;
            string? publicKeys = null;
            if (jwksFile is not null)
            {
                publicKeys = InputFiles.ReadText(jwksFile);
                if (ClientRegistrations.ParseJwks(publicKeys) is not { Count: > 0 })
                {
                    throw CliException.Usage($"{jwksFile} is not a JWKS of public EC P-256/P-384, RSA (2048+) or Ed25519 keys (at most 10, no private members).");
                }
            }
            else if (tokenKey is not null)
            {
                // The PIN is asked for here: the token proves it holds the key before its public half is registered.
                var modulePath = parseResult.GetValue(module);
                using var opened = TokenPins.OpenKey(tokenKey, modulePath, parseResult.GetValue(pinFile), parseResult.GetValue(pinEnv));
                var recorded = modulePath is null ? opened.Uri : opened.Uri with { ModulePath = modulePath };
                (credential, publicKeys) = OAuthClientCredential.ForTokenKey(clientId, opened, recorded.ToString());
            }
            else if (!isMtls)
            {
                (credential, publicKeys) = OAuthClientCredential.Create(clientId);
            }

            await using var shared = await SharedStore.OpenAsync(parseResult, folder, cancellationToken);
            var added = await shared.Clients().AddAsync(new OAuthClientRecord
            {
                ClientId = clientId,
                AuthenticationMethod = isMtls ? ClientRegistrations.TlsClientAuth : ClientRegistrations.PrivateKeyJwt,
                Jwks = publicKeys,
                Scopes = scopes,
                CertificateSubject = parseResult.GetValue(subject),
                CreatedAt = DateTimeOffset.UtcNow,
            }, cancellationToken);
            if (!added)
            {
                throw CliException.Usage($"client '{clientId}' exists; remove it first or rotate its key.");
            }

            Console.WriteLine($"Added client '{clientId}' ({(isMtls ? "tls_client_auth" : "private_key_jwt")}).");
            if (credential is not null)
            {
                var path = parseResult.GetValue(output) ?? OAuthClientCredential.PathFor(folder, clientId);
                credential.Write(path);
                Console.WriteLine(credential.KeyUri is null ? $"Credential file (private key): {path}" : $"Credential file (key on the token, {credential.KeyUri}): {path}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List()
    {
        var json = GlobalOptions.Json();
        var command = new Command("list", "List registered clients (never keys).") { json };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            await using var shared = await SharedStore.OpenExistingAsync(parseResult, cancellationToken);
            var clients = await shared.Clients().ListAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(System.Text.Encoding.UTF8.GetString(JsonList(clients)));
                return ExitCodes.Success;
            }

            var table = Tables.Create("Client", "Authentication", "Scopes", "Keys", "Created (UTC)");
            foreach (var c in clients)
            {
                table.AddRow(Tables.Cell(c.ClientId), Markup.Escape(c.AuthenticationMethod), Tables.Cell(string.Join(' ', c.Scopes)),
                    (ClientRegistrations.ParseJwks(c.Jwks)?.Count ?? 0).ToString(CultureInfo.InvariantCulture), c.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove()
    {
        var name = Name();
        var command = new Command("remove", "Remove a client: its tokens are refused once they expire, its assertions at once.") { name };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var clientId = parseResult.GetValue(name)!;
            await using var shared = await SharedStore.OpenExistingAsync(parseResult, cancellationToken);
            if (!await shared.Clients().RemoveAsync(clientId, cancellationToken))
            {
                throw CliException.Usage($"no client '{clientId}'.");
            }

            File.Delete(OAuthClientCredential.PathFor(GlobalOptions.Folder(parseResult), clientId));
            Console.WriteLine($"Removed client '{clientId}'.");
            return ExitCodes.Success;
        });
        return command;
    }

    private const int DefaultOverlapMinutes = 60;

    private static Command Rotate()
    {
        var name = Name();
        var output = new Option<string?>("--out") { Description = "Where to write the new credential file (default: credentials/NAME.oauth.json in the data folder).", HelpName = "FILE" };
        var overlap = new Option<int>("--overlap")
        {
            Description = "Minutes the previous key stays accepted beside the new one, so running clients can switch to the new credential file (0: refused at once).",
            DefaultValueFactory = _ => DefaultOverlapMinutes,
            HelpName = "MINUTES",
        };
        var command = new Command("rotate", "Give a private_key_jwt client a new ES256 key pair and credential file; the previous key stays accepted for --overlap minutes, then is refused.") { name, output, overlap };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var clientId = parseResult.GetValue(name)!;
            var minutes = parseResult.GetValue(overlap) is var m and >= 0 and <= 7 * 24 * 60 ? m : throw CliException.Usage("--overlap must be between 0 and 10080 minutes (a week).");
            var folder = GlobalOptions.Folder(parseResult);
            await using var shared = await SharedStore.OpenExistingAsync(parseResult, cancellationToken);
            var store = shared.Clients();
            var existing = await store.FindAsync(clientId, cancellationToken);
            if (existing?.AuthenticationMethod != ClientRegistrations.PrivateKeyJwt)
            {
                throw CliException.Usage(existing is null ? $"no client '{clientId}'." : $"client '{clientId}' uses tls_client_auth: it has no key to rotate.");
            }

            var (credential, jwks) = OAuthClientCredential.Create(clientId);
            var now = TimeProvider.System.GetUtcNow();
            var retireAt = now.AddMinutes(minutes);
            await store.ReplaceKeysAsync(clientId, ClientKeyRetirement.Merge(jwks, existing.Jwks, retireAt, now, ClientRegistrations.MaxKeys), cancellationToken);
            var path = parseResult.GetValue(output) ?? OAuthClientCredential.PathFor(folder, clientId);
            credential.Write(path);
            Console.WriteLine($"Rotated the key of client '{clientId}' (key id {credential.KeyId}); credential file: {path}");
            Console.WriteLine(minutes == 0 ? "The previous key is refused from now on." : $"The previous key stays accepted until {retireAt:yyyy-MM-dd HH:mm} UTC.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string ValidName(string name) => DataFolder.IsValidIdentityName(name)
        ? name
        : throw CliException.Usage($"'{name}' is not a valid client name (1-64 of letters, digits, '.', '_', '-'; not starting with '.').");

    private static byte[] JsonList(IReadOnlyList<OAuthClientRecord> clients)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var c in clients)
            {
                w.WriteStartObject();
                w.WriteString("clientId", c.ClientId);
                w.WriteString("authenticationMethod", c.AuthenticationMethod);
                w.WriteStartArray("scopes");
                c.Scopes.ToList().ForEach(w.WriteStringValue);
                w.WriteEndArray();
                w.WriteString("createdAt", c.CreatedAt);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return buffer.ToArray();
    }
}
