using System.CommandLine;
using MutualAuth.Storage.PostgreSql;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth store migrate|check</c>: the shared PostgreSQL store's schema.</summary>
internal static class StoreCommand
{
    public static Command Create()
    {
        var store = SharedStore.Option();
        var command = new Command("store", "Manage the PostgreSQL store several serve nodes share (--store CONNECTION).") { store };
        var migrate = new Command("migrate", "Create or update the schema of the --store database (serve does it too when it starts).");
        migrate.SetRunner(async (parseResult, cancellationToken) =>
        {
            await using var database = Open(parseResult);
            var pending = await database.PendingMigrationsAsync(cancellationToken);
            await database.MigrateAsync(cancellationToken);
            Console.WriteLine(pending.Count == 0 ? $"{database.Description}: schema already current." : $"{database.Description}: applied {string.Join(", ", pending)}.");
            return ExitCodes.Success;
        });
        var check = new Command("check", "Connect to the --store database and report whether its schema is current (exit 1 when migrations are pending).");
        check.SetRunner(async (parseResult, cancellationToken) =>
        {
            await using var database = Open(parseResult);
            var pending = await database.PendingMigrationsAsync(cancellationToken);
            Console.WriteLine(pending.Count == 0 ? $"{database.Description}: reachable, schema current." : $"{database.Description}: reachable, pending {string.Join(", ", pending)} (run 'mutualauth store migrate').");
            return pending.Count == 0 ? ExitCodes.Success : ExitCodes.AuthenticationRefused;
        });
        command.Subcommands.Add(migrate);
        command.Subcommands.Add(check);
        return command;
    }

    private static PostgresDatabase Open(ParseResult parseResult)
    {
        var connectionString = parseResult.GetValue<string?>("--store");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw CliException.Usage("give the database with --store \"Host=…;Database=…;Username=…;Password=…\".");
        }

        try
        {
            return new PostgresDatabase(connectionString);
        }
        catch (ArgumentException e)
        {
            throw CliException.Usage("--store is not a valid PostgreSQL connection string: " + e.GetType().Name + ".", e);
        }
    }
}
