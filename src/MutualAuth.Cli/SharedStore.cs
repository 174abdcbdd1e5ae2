using System.CommandLine;
using Microsoft.Extensions.Logging;
using MutualAuth.Storage;
using MutualAuth.Storage.PostgreSql;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli;

/// <summary>
/// Where state lives: the data folder's SQLite database (the default) or, with <c>--store</c>, a PostgreSQL database
/// shared by several nodes. Keys and secrets stay in the data folder either way (copy it to every node), except the
/// Data Protection and token signing keys, shared through the database sealed by the folder's box.
/// </summary>
internal sealed partial class SharedStore : IAsyncDisposable
{
    private readonly PostgresDatabase? _postgres;
    private readonly DataFolder _folder;

    private SharedStore(DataFolder folder, PostgresDatabase? postgres)
    {
        _folder = folder;
        _postgres = postgres;
    }

    /// <summary>The PostgreSQL database, or null for the data folder's SQLite.</summary>
    public PostgresDatabase? Postgres => _postgres;

    /// <summary><c>--store</c> for the management commands (user, key, client, webauthn, audit, store).</summary>
    public static Option<string?> Option() => new("--store")
    {
        Description = "A PostgreSQL connection string (Host=…;Port=…;Database=…;Username=…;Password=…) shared by several serve nodes, instead of the data folder's SQLite.",
        Recursive = true,
        HelpName = "CONNECTION",
    };

    /// <summary>Opens the store named by <c>--store</c> on this command, else the data folder's.</summary>
    public static Task<SharedStore> OpenAsync(ParseResult parseResult, DataFolder folder, CancellationToken cancellationToken) =>
        OpenAsync(parseResult.GetValue<string?>("--store"), folder, cancellationToken);

    /// <summary>As <see cref="OpenAsync(ParseResult, DataFolder, CancellationToken)"/> for commands that read state: the data folder must exist unless <c>--store</c> names the database.</summary>
    public static Task<SharedStore> OpenExistingAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
        OpenAsync(parseResult, parseResult.GetValue<string?>("--store") is not null ? GlobalOptions.Folder(parseResult) : GlobalOptions.ExistingFolder(parseResult), cancellationToken);

    /// <summary>Opens <paramref name="connectionString"/> (migrating its schema) or, when null, the data folder's SQLite.</summary>
    /// <exception cref="CliException">A malformed connection string (its password is never printed).</exception>
    public static async Task<SharedStore> OpenAsync(string? connectionString, DataFolder folder, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return new SharedStore(folder, null);
        }

        PostgresDatabase database;
        try
        {
            database = new PostgresDatabase(connectionString);
        }
        catch (ArgumentException e)
        {
            // Npgsql's message may quote the string; say only that it is malformed.
            throw CliException.Usage("--store is not a valid PostgreSQL connection string: " + e.GetType().Name + ".", e);
        }

        try
        {
            await database.MigrateAsync(cancellationToken);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }

        return new SharedStore(folder, database);
    }

    public IScramUserStore Users() => _postgres is { } db ? new PostgresScramUserStore(db) : new SqliteScramUserStore(_folder.OpenDatabase());

    public ISignatureKeyStore Keys() => _postgres is { } db ? new PostgresSignatureKeyStore(db) : new SqliteSignatureKeyStore(_folder.OpenDatabase());

    public ICertificateStore Certificates() => _postgres is { } db ? new PostgresCertificateStore(db) : new SqliteCertificateStore(_folder.OpenDatabase());

    public IOAuthClientStore Clients() => _postgres is { } db ? new PostgresOAuthClientStore(db) : new SqliteOAuthClientStore(_folder.OpenDatabase());

    public IWebAuthnCredentialStore WebAuthnCredentials() => _postgres is { } db ? new PostgresWebAuthnCredentialStore(db) : new SqliteWebAuthnCredentialStore(_folder.OpenDatabase());

    public IWebAuthnChallengeStore WebAuthnChallenges() => _postgres is { } db ? new PostgresWebAuthnChallengeStore(db) : new SqliteWebAuthnChallengeStore(_folder.OpenDatabase());

    public IReplayCache ReplayCache() => _postgres is { } db ? new PostgresReplayCache(db) : new SqliteReplayCache(_folder.OpenDatabase());

    /// <summary>The single-node replay cache of serve: in memory, written behind to the data folder's SQLite, reloaded from it now.</summary>
    public SqliteWriteBehindReplayCache WriteBehindReplayCache(ILogger logger) =>
        new(_folder.OpenDatabase(), TimeProvider.System, writeFailed: (count, e) => LogReplayBatchFailed(logger, count, e.Message, e));

    [LoggerMessage(9105, LogLevel.Error, "Could not store {Count} replay-cache values (still refused by this process, not after a restart): {Message}")]
    private static partial void LogReplayBatchFailed(ILogger logger, int count, string message, Exception exception);

    /// <summary>SCRAM exchanges shared by every node; null for SQLite (one node keeps them in memory).</summary>
    public IScramExchangeStore? ScramExchanges() => _postgres is { } db ? new PostgresScramExchangeStore(db) : null;

    /// <summary>Shares the Data Protection key ring through the database (sealed by the data folder's box); null for SQLite (one node).</summary>
    public Action<Microsoft.AspNetCore.DataProtection.IDataProtectionBuilder>? KeyRing()
    {
        if (_postgres is not { } db)
        {
            return null;
        }

        var box = SecretBox.For(_folder);
        return builder => SharedKeyRing.Use(builder, db, key => box.Seal(key, SharedKeyRing.SealContext), sealedKey => box.Open(sealedKey, SharedKeyRing.SealContext));
    }

    /// <summary>
    /// The authorization server's token signing keys: in the data folder for one node (SQLite), in the database sealed
    /// by the data folder's box with rotation coordinated across nodes for several.
    /// </summary>
    public Func<Tokens.TokenSigningKeys> TokenSigningKeys()
    {
        if (_postgres is not { } db)
        {
            return new LocalTokenKeys(_folder, TimeProvider.System).Current;
        }

        var box = SecretBox.For(_folder);
        return new SharedTokenKeys(new PostgresTokenSigningKeyStore(db), key => box.Seal(key, SharedTokenKeys.SealContext), sealedKey => box.Open(sealedKey, SharedTokenKeys.SealContext), TimeProvider.System).Current;
    }

    public IAuditStore Audit(string? nodeName) => _postgres is { } db ? new PostgresAuditStore(db, nodeName) : new SqliteAuditStore(_folder.OpenDatabase());

    public ValueTask DisposeAsync() => _postgres?.DisposeAsync() ?? ValueTask.CompletedTask;
}
