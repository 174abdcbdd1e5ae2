using System.CommandLine;
using System.Globalization;
using MutualAuth.Authentication;
using MutualAuth.Http;
using MutualAuth.MessageSignatures;
using MutualAuth.Storage;
using MutualAuth.Storage.Sqlite;
using Spectre.Console;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth key …</c>: client keys for mutual HTTP Message Signatures (RFC 9421) and the server's response-signing key.</summary>
internal static class KeyCommand
{
    public static Command Create()
    {
        var key = new Command("key", "Manage API keys for HTTP Message Signatures (RFC 9421): clients sign requests, the server signs responses.") { SharedStore.Option() };
        key.Subcommands.Add(CreateKey("create", "Register a new key for a client and write the client's credential file: its secret or private key, and the server's response-signing public key, which clients with asymmetric keys pin (responses to an hmac-sha256 client are signed with a key derived from its secret instead).", rotate: false));
        key.Subcommands.Add(CreateKey("rotate", "Register a new key for a client; the client's current keys keep working for --overlap, then expire.", rotate: true));
        key.Subcommands.Add(Revoke());
        key.Subcommands.Add(List());
        key.Subcommands.Add(ServerPublic());
        return key;
    }

    private static Command CreateKey(string name, string description, bool rotate)
    {
        var client = new Option<string>("--client") { Description = "The client's name (letters, digits, '.', '_', '-').", Required = true, HelpName = "NAME" };
        var algorithm = new Option<string?>("--alg") { Description = "hmac-sha256 (default for create), ecdsa-p256-sha256, ecdsa-p384-sha384, ed25519, rsa-pss-sha512 or rsa-v1_5-sha256; rotate keeps the current one.", HelpName = "ALG" };
        var publicKey = new Option<string?>("--public-key") { Description = "Register this public key (SPKI PEM) instead of generating a key pair: the private key never leaves the client.", HelpName = "FILE" };
        var output = new Option<string?>("--out") { Description = "Where to write the credential file (default: credentials/NAME.json in the data folder).", HelpName = "FILE" };
        var overlap = new Option<double>("--overlap") { Description = "Hours the client's previous keys stay valid after rotation.", DefaultValueFactory = _ => 24, HelpName = "HOURS" };
        var command = new Command(name, description) { client, algorithm, publicKey, output };
        if (rotate)
        {
            command.Options.Add(overlap);
        }

        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var clientName = parseResult.GetValue(client)!;
            if (!DataFolder.IsValidIdentityName(clientName))
            {
                throw CliException.Usage($"'{clientName}' is not a valid client name (1-64 of letters, digits, '.', '_', '-'; not starting with '.').");
            }

            var folder = rotate ? GlobalOptions.ExistingFolder(parseResult) : GlobalOptions.Folder(parseResult);
            var keysFolder = folder;
            await using var shared = await SharedStore.OpenAsync(parseResult, keysFolder, cancellationToken);
            var keys = new LocalSignatureKeys(keysFolder, TimeProvider.System, shared.Keys());
            var current = (await keys.Store.ListAsync(clientName, cancellationToken)).Where(k => k.IsUsableAt(keys.Time.GetUtcNow())).ToList();
            if (rotate && current.Count == 0)
            {
                throw CliException.Usage($"client '{clientName}' has no usable key to rotate; use 'mutualauth key create'.");
            }

            if (!rotate && current.Count > 0)
            {
                throw CliException.Usage($"client '{clientName}' already has a usable key ({current[0].KeyId}); use 'mutualauth key rotate' or revoke it first.");
            }

            if (parseResult.GetValue(publicKey) is not null && parseResult.GetValue(algorithm) is null)
            {
                throw CliException.Usage("--public-key needs --alg: the algorithm the key is registered for (ecdsa-p256-sha256, ecdsa-p384-sha384, ed25519, rsa-pss-sha512 or rsa-v1_5-sha256).");
            }

            var algorithmName = parseResult.GetValue(algorithm) ?? (rotate ? current[0].Algorithm : "hmac-sha256");
            if (!HttpSignatureAlgorithms.TryParse(algorithmName, out var parsed))
            {
                throw CliException.Usage($"--alg '{algorithmName}' is not one of hmac-sha256, ecdsa-p256-sha256, ecdsa-p384-sha384, ed25519, rsa-pss-sha512, rsa-v1_5-sha256.");
            }

            var hours = parseResult.GetValue(overlap);
            if (rotate && hours is < 0 or > 24 * 365)
            {
                throw CliException.Usage("--overlap must be between 0 and 8760 hours.");
            }

            (SignatureKeyRecord Record, byte[]? Secret, string? PrivateKeyPem) created;
            try
            {
                created = await keys.CreateAsync(clientName, parsed, parseResult.GetValue(publicKey) is { } file ? InputFiles.ReadText(file) : null, cancellationToken);
            }
            catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
            {
                throw CliException.Usage("the public key: " + e.Message, e);
            }

            if (rotate)
            {
                foreach (var old in current)
                {
                    await keys.Store.ExpireAsync(old.KeyId, keys.Time.GetUtcNow().AddHours(hours), cancellationToken);
                }
            }

            var (serverKeyId, serverKey) = keys.ServerKey();
            using (serverKey)
            {
                var credential = new SignatureCredential
                {
                    KeyId = created.Record.KeyId,
                    Algorithm = created.Record.Algorithm,
                    Secret = created.Secret is null ? null : Convert.ToBase64String(created.Secret),
                    PrivateKey = created.PrivateKeyPem,
                    ServerKeyId = serverKeyId,
                    ServerAlgorithm = HttpSignatureAlgorithms.Name(serverKey.Algorithm),
                    ServerPublicKey = serverKey.ExportPublicKeyPem()!,
                };
                var path = parseResult.GetValue(output) ?? folder.ClientCredentialPath(clientName);
                DataFolder.WriteFile(path, credential.ToJson(), secret: true);
                Console.WriteLine($"{(rotate ? "Rotated" : "Created")} key '{created.Record.KeyId}' ({created.Record.Algorithm}) for client '{clientName}'.");
                if (created.Secret is not null)
                {
                    Console.WriteLine($"Secret (shown once; also in the credential file): {credential.Secret}");
                }

                if (rotate)
                {
                    Console.WriteLine($"Previous keys stay valid until {keys.Time.GetUtcNow().AddHours(hours):yyyy-MM-dd HH:mm} UTC.");
                }

                Console.WriteLine($"Credential file (keep it private): {path}");
                Console.WriteLine($"Call a route that accepts signatures (serve's default route is mtls only: start it with e.g. --route /=mtls,{AuthenticationMethods.HttpSignature}):");
                Console.WriteLine($"  {SelfCommand.Prefix} call https://localhost:8443/whoami --credential {path}" + (credential.PrivateKey is null && credential.Secret is null ? " --private-key YOUR-KEY.pem" : "") + SelfCommand.DataDirFlag(folder));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Revoke()
    {
        var keyId = new Argument<string>("keyid") { Description = "The key to revoke." };
        var command = new Command("revoke", "Revoke a key at once: signatures made with it are refused (a running serve notices within 5 seconds).") { keyId };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var id = parseResult.GetValue(keyId)!;
            var keysFolder = GlobalOptions.ExistingFolder(parseResult);
            await using var shared = await SharedStore.OpenAsync(parseResult, keysFolder, cancellationToken);
            var keys = new LocalSignatureKeys(keysFolder, TimeProvider.System, shared.Keys());
            if (!await keys.Store.RevokeAsync(id, keys.Time.GetUtcNow(), cancellationToken))
            {
                throw CliException.Usage($"no key '{id}', or it is already revoked.");
            }

            Console.WriteLine($"Revoked '{id}'.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List()
    {
        var client = new Option<string?>("--client") { Description = "Only this client's keys.", HelpName = "NAME" };
        var json = GlobalOptions.Json();
        var command = new Command("list", "List registered keys (never secrets).") { client, json };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var keysFolder = GlobalOptions.ExistingFolder(parseResult);
            await using var shared = await SharedStore.OpenAsync(parseResult, keysFolder, cancellationToken);
            var keys = new LocalSignatureKeys(keysFolder, TimeProvider.System, shared.Keys());
            var now = keys.Time.GetUtcNow();
            var items = (await keys.Store.ListAsync(parseResult.GetValue(client), cancellationToken))
                .Select(k => new KeyListItem(k.KeyId, k.Client, k.Algorithm, k.CreatedAt, k.NotAfter, k.RevokedAt, Status(k, now)))
                .ToList();
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(items, CliJson.Context.ListKeyListItem));
                return ExitCodes.Success;
            }

            var table = Tables.Create("Key id", "Client", "Algorithm", "Created (UTC)", "Status");
            foreach (var item in items)
            {
                table.AddRow(Tables.Cell(item.KeyId), Tables.Cell(item.Client), Markup.Escape(item.Algorithm), item.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Markup.Escape(item.Status));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ServerPublic()
    {
        var json = GlobalOptions.Json();
        var command = new Command("server-public", "Print the server's response-signing public key (created on first use) for clients with asymmetric keys to pin; responses to hmac-sha256 clients are signed with a key derived from each client's secret instead.") { json };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var keysFolder = GlobalOptions.Folder(parseResult);
            await using var shared = await SharedStore.OpenAsync(parseResult, keysFolder, cancellationToken);
            var keys = new LocalSignatureKeys(keysFolder, TimeProvider.System, shared.Keys());
            var (keyId, key) = keys.ServerKey();
            using (key)
            {
                var pem = key.ExportPublicKeyPem()!;
                Console.Write(parseResult.GetValue(json)
                    ? System.Text.Json.JsonSerializer.Serialize(new ServerKeyExport(keyId, HttpSignatureAlgorithms.Name(key.Algorithm), pem), CliJson.Context.ServerKeyExport) + "\n"
                    : $"# keyid {keyId}, {HttpSignatureAlgorithms.Name(key.Algorithm)}\n{pem}\n");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Status(SignatureKeyRecord key, DateTimeOffset now) =>
        key.RevokedAt is { } revoked ? $"revoked {revoked:yyyy-MM-dd HH:mm}"
        : key.NotAfter is { } notAfter ? (now < notAfter ? $"expires {notAfter:yyyy-MM-dd HH:mm}" : $"expired {notAfter:yyyy-MM-dd HH:mm}")
        : "active";
}

/// <summary>One row of <c>key list --json</c>.</summary>
internal sealed record KeyListItem(string KeyId, string Client, string Algorithm, DateTimeOffset CreatedAt, DateTimeOffset? NotAfter, DateTimeOffset? RevokedAt, string Status);

/// <summary>The output of <c>key server-public --json</c>.</summary>
internal sealed record ServerKeyExport(string KeyId, string Algorithm, string PublicKey);
