using System.CommandLine;
using MutualAuth.Authentication;
using MutualAuth.Scram;
using Spectre.Console;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth user …</c>: SCRAM verifiers (never passwords) in the data folder.</summary>
internal static class UserCommand
{
    private static readonly ScramMechanism[] Mechanisms = [ScramMechanism.Sha256, ScramMechanism.Sha512];

    public static Command Create()
    {
        var user = new Command("user", "Manage password users: only SCRAM verifiers (salt, iterations, StoredKey, ServerKey) are stored.") { SharedStore.Option() };
        user.Subcommands.Add(SetPassword("add", "Add a user with a password (SCRAM-SHA-256 and SCRAM-SHA-512 verifiers).", mustExist: false));
        user.Subcommands.Add(SetPassword("passwd", "Change a user's password.", mustExist: true));
        user.Subcommands.Add(Remove());
        user.Subcommands.Add(List());
        user.Subcommands.Add(Import());
        user.Subcommands.Add(Export());
        return user;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "User name, stored in its SASLprep (RFC 4013) form." };

    private static Command SetPassword(string name, string description, bool mustExist)
    {
        var userName = NameArgument();
        var iterations = new Option<int>("--iterations") { Description = "PBKDF2 iterations (4096 to 1000000).", DefaultValueFactory = _ => ScramCredential.MinIterations, HelpName = "N" };
        var passwords = new Passwords();
        var command = new Command(name, description) { userName, iterations };
        passwords.AddTo(command);
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var count = parseResult.GetValue(iterations);
            if (count is < ScramCredential.MinIterations or > ScramClient.DefaultMaxIterations)
            {
                throw CliException.Usage($"--iterations must be between {ScramCredential.MinIterations} and {ScramClient.DefaultMaxIterations}.");
            }

            var userNameValue = CheckName(parseResult.GetValue(userName)!);
            await using var shared = await Open(parseResult, create: !mustExist, cancellationToken);
            var store = shared.Users();
            var exists = await store.FindAsync(userNameValue, ScramMechanism.Sha256, cancellationToken) is not null || await store.FindAsync(userNameValue, ScramMechanism.Sha512, cancellationToken) is not null;
            if (exists != mustExist)
            {
                throw CliException.Usage(mustExist ? $"no user '{userNameValue}'." : $"user '{userNameValue}' already exists; use 'mutualauth user passwd'.");
            }

            var password = passwords.Read(parseResult, $"Password for {userNameValue}: ");
            try
            {
                await store.SaveAsync(userNameValue, [.. Mechanisms.Select(m => ScramCredential.Create(m, password, count))], DateTimeOffset.UtcNow, cancellationToken);
            }
            catch (ScramException e)
            {
                throw CliException.Usage(e.Message, e);
            }

            Console.WriteLine($"{(mustExist ? "Changed the password of" : "Added")} '{userNameValue}' (SCRAM-SHA-256, SCRAM-SHA-512, {count} iterations).");
            if (!mustExist)
            {
                Console.WriteLine($"Log in on a route that accepts SCRAM (serve's default route is mtls only: start it with e.g. --route /=mtls,{AuthenticationMethods.Scram}):");
                Console.WriteLine($"  {SelfCommand.Prefix} call https://localhost:8443/whoami --user {userNameValue}{SelfCommand.DataDirFlag(GlobalOptions.Folder(parseResult))}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove()
    {
        var userName = NameArgument();
        var command = new Command("remove", "Remove a user.") { userName };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var name = CheckName(parseResult.GetValue(userName)!);
            await using var shared = await Open(parseResult, create: false, cancellationToken);
            if (!await shared.Users().RemoveAsync(name, cancellationToken))
            {
                throw CliException.Usage($"no user '{name}'.");
            }

            Console.WriteLine($"Removed '{name}'.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List()
    {
        var json = GlobalOptions.Json();
        var command = new Command("list", "List users and the mechanisms they have verifiers for.") { json };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            await using var shared = await Open(parseResult, create: false, cancellationToken);
            var users = await shared.Users().ListAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(
                    users.Select(u => new UserListItem(u.UserName, u.Mechanisms, u.UpdatedAt)).ToList(), CliJson.Context.ListUserListItem));
                return ExitCodes.Success;
            }

            var table = Tables.Create("User", "Mechanisms", "Updated (UTC)");
            foreach (var (name, mechanisms, updated) in users)
            {
                table.AddRow(Tables.Cell(name), Markup.Escape(string.Join(", ", mechanisms)), updated.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Import()
    {
        var userName = NameArgument();
        var verifier = new Option<string>("--postgres-verifier-file") { Description = "File with a PostgreSQL verifier SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey> (e.g. from pg_authid.rolpassword).", Required = true, HelpName = "FILE" };
        var command = new Command("import", "Import a user's SCRAM-SHA-256 verifier from PostgreSQL (the password is never needed).") { userName, verifier };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            ScramCredential credential;
            try
            {
                credential = ScramCredential.ParsePostgres(InputFiles.ReadText(parseResult.GetValue(verifier)!).Trim());
            }
            catch (FormatException e)
            {
                throw CliException.Usage(e.Message, e);
            }

            if (credential.Iterations is < ScramCredential.MinIterations or > ScramClient.DefaultMaxIterations || credential.Salt.Length == 0)
            {
                throw CliException.Usage($"the verifier uses {credential.Iterations} iterations or an empty salt; clients accept {ScramCredential.MinIterations} to {ScramClient.DefaultMaxIterations} iterations and a salt.");
            }

            var name = CheckName(parseResult.GetValue(userName)!);
            await using var shared = await Open(parseResult, create: true, cancellationToken);
            var store = shared.Users();
            if (await store.FindAsync(name, ScramMechanism.Sha256, cancellationToken) is not null || await store.FindAsync(name, ScramMechanism.Sha512, cancellationToken) is not null)
            {
                throw CliException.Usage($"user '{name}' already exists; remove it first ('mutualauth user remove {name}').");
            }

            await store.SaveAsync(name, [credential], DateTimeOffset.UtcNow, cancellationToken);
            Console.WriteLine($"Imported '{name}' (SCRAM-SHA-256, {credential.Iterations} iterations).");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Export()
    {
        var userName = NameArgument();
        var json = GlobalOptions.Json();
        var command = new Command("export", "Print a user's SCRAM-SHA-256 verifier in PostgreSQL's form, for CREATE ROLE … PASSWORD '<verifier>' (no password is printed, but treat the verifier as a secret: it allows offline guessing).") { userName, json };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var name = parseResult.GetValue(userName)!;
            await using var shared = await Open(parseResult, create: false, cancellationToken);
            var credential = await shared.Users().FindAsync(name, ScramMechanism.Sha256, cancellationToken)
                ?? throw CliException.Usage($"no user '{name}' with a SCRAM-SHA-256 verifier.");
            Console.WriteLine(parseResult.GetValue(json)
                ? System.Text.Json.JsonSerializer.Serialize(new UserExport(name, ScramMechanism.Sha256.Name, credential.Iterations, credential.ToPostgres()), CliJson.Context.UserExport)
                : credential.ToPostgres());
            return ExitCodes.Success;
        });
        return command;
    }

    private static string CheckName(string name) =>
        ScramCredential.TryPrepareUserName(name, out var prepared) ? prepared : throw CliException.Usage($"'{name}' is not a supported user name (SASLprep, RFC 4013, must accept it and leave 1 to 255 characters).");

    private static Task<SharedStore> Open(ParseResult parseResult, bool create, CancellationToken cancellationToken) =>
        SharedStore.OpenAsync(parseResult, create || parseResult.GetValue<string?>("--store") is not null ? GlobalOptions.Folder(parseResult) : GlobalOptions.ExistingFolder(parseResult), cancellationToken);
}

/// <summary>One row of <c>user list --json</c>.</summary>
internal sealed record UserListItem(string Name, IReadOnlyList<string> Mechanisms, DateTimeOffset UpdatedAt);

/// <summary>The output of <c>user export --json</c>.</summary>
internal sealed record UserExport(string Name, string Mechanism, int Iterations, string PostgresVerifier);
