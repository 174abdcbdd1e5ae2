using System.Collections.Concurrent;
using DbUp;
using Microsoft.Data.Sqlite;

namespace MutualAuth.Storage.Sqlite;

/// <summary>
/// One SQLite database file: opens connections (WAL, foreign keys, busy timeout) and brings the
/// schema up to date with DbUp migrations embedded in this assembly.
/// </summary>
public sealed class SqliteDatabase
{
    /// <summary>One lock per database file in this process, shared by every <see cref="SqliteDatabase"/> of that file.</summary>
    private static readonly ConcurrentDictionary<string, object> WriteLocks = new(StringComparer.Ordinal);

    private readonly string _connectionString;
    private readonly object _writeLock;

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/> and migrates it.</summary>
    /// <exception cref="StoreException">The file cannot be opened or migrated.</exception>
    public SqliteDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        _writeLock = WriteLocks.GetOrAdd(System.IO.Path.GetFullPath(path), _ => new object());
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Migrate();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens a connection with the pragmas every caller needs.</summary>
    /// <exception cref="StoreException">The database cannot be opened.</exception>
    internal SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            // Per-connection settings only; journal_mode=WAL is stored in the file, set once by Migrate (it takes a lock and
            // reads the header, so doing it on every open cost each request a round through SQLite's locking).
            pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new StoreException($"Cannot open the database '{Path}': {e.Message}", e);
        }
    }

    /// <summary>Runs <paramref name="action"/> on a new connection; SQLite errors become <see cref="StoreException"/> naming the file.</summary>
    /// <exception cref="StoreException">The database cannot be opened or the statement fails.</exception>
    internal T Run<T>(Func<SqliteConnection, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        using var connection = Open();
        try
        {
            return action(connection);
        }
        catch (SqliteException e)
        {
            throw new StoreException($"Database '{Path}': {e.Message}", e);
        }
    }

    /// <summary>
    /// As <see cref="Run{T}"/>, for a short write done on every request (replay values, audit events): writers of the
    /// same file in this process take turns on a lock instead of colliding in SQLite, whose busy handler sleeps a
    /// millisecond or more per collision. Other processes are still handled by the busy timeout.
    /// </summary>
    /// <exception cref="StoreException">The database cannot be opened or the statement fails.</exception>
    internal T RunWrite<T>(Func<SqliteConnection, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_writeLock)
        {
            return Run(action);
        }
    }

    private void Migrate()
    {
        try
        {
            using (var connection = Open())
            {
                using var wal = connection.CreateCommand();
                wal.CommandText = "PRAGMA journal_mode=WAL;";
                wal.ExecuteNonQuery();
            }

            var result = DeployChanges.To
                .SqliteDatabase(_connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(SqliteDatabase).Assembly)
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build()
                .PerformUpgrade();
            if (!result.Successful)
            {
                throw new StoreException($"Cannot migrate the database '{Path}': {result.Error.Message}", result.Error);
            }
        }
        catch (SqliteException e)
        {
            throw new StoreException($"Cannot open the database '{Path}': {e.Message}", e);
        }
    }
}
