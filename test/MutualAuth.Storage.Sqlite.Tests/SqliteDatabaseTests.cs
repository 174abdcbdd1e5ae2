using MutualAuth.Testing;

namespace MutualAuth.Storage.Sqlite.Tests;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempFolder _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Every_connection_is_in_wal_mode_with_the_per_connection_pragmas()
    {
        var database = new DataFolder(_directory.Path).OpenDatabase();

        for (var i = 0; i < 3; i++) // the first from a new pool, the others reused
        {
            using var connection = database.Open();
            Assert.Equal("wal", Pragma(connection, "journal_mode"));
            Assert.Equal(1L, Pragma(connection, "synchronous")); // NORMAL
            Assert.Equal(1L, Pragma(connection, "foreign_keys"));
            Assert.Equal(10_000L, Pragma(connection, "busy_timeout"));
        }
    }

    private static object? Pragma(Microsoft.Data.Sqlite.SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return command.ExecuteScalar();
    }
}
