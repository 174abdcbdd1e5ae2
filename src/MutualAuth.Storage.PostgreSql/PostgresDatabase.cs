using DbUp;
using Npgsql;

namespace MutualAuth.Storage.PostgreSql;

/// <summary>
/// One PostgreSQL database shared by several gateway nodes: a pooled Npgsql data source with bounded connect and statement
/// timeouts, schema migrations (DbUp, scripts embedded in this assembly), and errors turned into <see cref="StoreException"/>.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>The statement timeout used when the connection string sets none, in seconds.</summary>
    public const int DefaultCommandTimeoutSeconds = 5;

    /// <summary>The connect timeout used when the connection string sets none, in seconds.</summary>
    public const int DefaultConnectTimeoutSeconds = 5;

    /// <summary>The pool size used when the connection string sets none (per node).</summary>
    public const int DefaultMaxPoolSize = 32;

    // Serialises migrations of nodes that start together (DbUp itself takes no lock).
    private const long MigrationLockKey = 0x4d75_7475_616c_4175; // "MutualAu"

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _connectionString;

    /// <summary>Opens a pool for <paramref name="connectionString"/> (nothing is connected yet).</summary>
    /// <param name="connectionString">An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>).</param>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Explicit bounds unless the operator chose others: a slow or unreachable database costs a request seconds, not minutes.
        if (!HasKey(connectionString, "Command Timeout", "CommandTimeout"))
        {
            builder.CommandTimeout = DefaultCommandTimeoutSeconds;
        }

        if (!HasKey(connectionString, "Timeout"))
        {
            builder.Timeout = DefaultConnectTimeoutSeconds;
        }

        if (!HasKey(connectionString, "Maximum Pool Size", "Max Pool Size", "MaxPoolSize"))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        builder.ApplicationName ??= "mutualauth";
        _connectionString = builder.ConnectionString;
        _dataSource = NpgsqlDataSource.Create(_connectionString);
        Description = Describe(builder);
    }

    /// <summary>The database as <c>host:port/database (user)</c>, without the password: safe to log and print.</summary>
    public string Description { get; }

    /// <summary>Told the outcome of every statement: unreachable on a connection failure or timeout, reachable on success.</summary>
    public StoreAvailability Availability { get; } = new();

    /// <summary>The connection string without its password, for messages.</summary>
    public static string Redact(string connectionString)
    {
        try
        {
            return Describe(new NpgsqlConnectionStringBuilder(connectionString));
        }
        catch (ArgumentException)
        {
            return "(a malformed connection string)";
        }
    }

    /// <summary>Brings the schema up to date; several nodes may call it at once.</summary>
    /// <exception cref="StoreException">The database cannot be reached or a script fails.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await RunAsync<int>(async (connection, cancel) =>
        {
            await using var locked = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            locked.Parameters.AddWithValue("key", MigrationLockKey);
            await locked.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
            try
            {
                var result = Upgrader().PerformUpgrade();
                if (!result.Successful)
                {
                    throw new StoreException($"Cannot migrate {Description}: {result.Error.Message}", result.Error);
                }
            }
            finally
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                unlock.Parameters.AddWithValue("key", MigrationLockKey);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The names of the migration scripts not yet applied (empty when the schema is current).</summary>
    /// <exception cref="StoreException">The database cannot be reached.</exception>
    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken cancellationToken = default) =>
        await RunAsync<IReadOnlyList<string>>((_, _) => Task.FromResult<IReadOnlyList<string>>([.. Upgrader().GetScriptsToExecute().Select(s => s.Name)]), cancellationToken)
            .ConfigureAwait(false);

    /// <summary>Runs <paramref name="action"/> on a pooled connection; database errors become <see cref="StoreException"/> naming the database (never its password).</summary>
    /// <exception cref="StoreException">The database cannot be reached, times out or refuses the statement.</exception>
    internal async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var result = await action(connection, cancellationToken).ConfigureAwait(false);
            Availability.ReportDatabaseReachable();
            return result;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException || (e is InvalidOperationException && e.InnerException is NpgsqlException or TimeoutException))
        {
            if (IsUnreachable(e))
            {
                Availability.ReportDatabaseUnreachable();
                // The pool's idle connections died with the server (a restart, a fail-over): drop them all now, so the
                // first statements after its return open new ones instead of each failing once on a dead one.
                _dataSource.Clear();
            }

            throw new StoreException($"Database {Description}: {e.Message}", e);
        }
    }

    /// <summary>Runs <c>SELECT 1</c> and reports the outcome to <see cref="Availability"/>; never throws for a database failure.</summary>
    /// <returns>Whether the database answered.</returns>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await RunAsync(async (connection, cancel) =>
            {
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                return await ping.ExecuteScalarAsync(cancel).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StoreException)
        {
            return false;
        }
    }

    /// <summary>
    /// Pings the database every <paramref name="interval"/>, and four times as often while it is unreachable (one ping at
    /// a time), until disposed, so <see cref="Availability"/> follows it while no statement runs.
    /// </summary>
    // Without it a node that answers 503 runs no statement and would never notice the database's return; an idle node
    // would not notice an outage either. The faster pace while it is away shortens the recovery, not the steady cost.
    public IDisposable MonitorAvailability(TimeSpan interval)
    {
        var pinging = 0;
        var lastPing = 0L;
        var tick = interval / 4;
        return new Timer(_ =>
        {
            var now = Environment.TickCount64;
            if (Availability.IsDatabaseReachable && now - Interlocked.Read(ref lastPing) < (long)interval.TotalMilliseconds)
            {
                return;
            }

            if (Interlocked.Exchange(ref pinging, 1) == 0)
            {
                Interlocked.Exchange(ref lastPing, now);
                _ = PingAsync().ContinueWith(_ => Volatile.Write(ref pinging, 0), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }, null, tick, tick);
    }

    // A connection that failed or timed out, or the server going away (SQLSTATE class 08 connection exception, 57P
    // operator intervention: shutdown, crash, not yet accepting connections; 53 insufficient resources; 57014 a
    // statement cancelled by its timeout). A refused statement (a constraint, a syntax error) says the database is up.
    private static bool IsUnreachable(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("57", StringComparison.Ordinal)
            || p.SqlState.StartsWith("53", StringComparison.Ordinal),
        InvalidOperationException { InnerException: { } inner } => IsUnreachable(inner),
        _ => true,
    };

    /// <summary>Opens a connection the caller holds (e.g. to LISTEN); errors are Npgsql's.</summary>
    internal ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Creates a command on <paramref name="connection"/> with named parameters.</summary>
    internal static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    // DbUp opens its own connections: unpooled, so a migration leaves no idle connection outside the bounded pool.
    private DbUp.Engine.UpgradeEngine Upgrader() =>
        DeployChanges.To
            .PostgresqlDatabase(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString)
            .WithScriptsEmbeddedInAssembly(typeof(PostgresDatabase).Assembly)
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build();

    private static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"{builder.Host}:{builder.Port}/{builder.Database} (user {builder.Username ?? "-"})";

    private static bool HasKey(string connectionString, params string[] keys) =>
        connectionString.Split(';').Select(p => p.Split('=', 2)[0].Trim()).Any(k => keys.Contains(k, StringComparer.OrdinalIgnoreCase));
}
