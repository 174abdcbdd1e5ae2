namespace MutualAuth.Storage.Sqlite;

/// <summary>
/// The <see cref="IReplayCache"/> of the embedded default: an insert that fails on the primary key is a replay.
/// Expired records are purged as new ones arrive (at most once a minute).
/// </summary>
/// <param name="database">The database.</param>
public sealed class SqliteReplayCache(SqliteDatabase database) : IReplayCache
{
    private const int MaxLength = 256;
    private long _nextPurgeTicks;

    /// <inheritdoc />
    public bool TryAdd(string scope, string value, DateTimeOffset expires, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scope.Length, MaxLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, MaxLength);
        var purge = now.UtcTicks >= Interlocked.Read(ref _nextPurgeTicks);
        if (purge)
        {
            Interlocked.Exchange(ref _nextPurgeTicks, now.AddMinutes(1).UtcTicks);
        }

        return database.Run(connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.Parameters.AddWithValue("$scope", scope);
            command.Parameters.AddWithValue("$value", value);
            command.Parameters.AddWithValue("$expires", SqlTime.Format(expires));
            command.Parameters.AddWithValue("$now", SqlTime.Format(now));
            command.CommandText = purge
                ? "DELETE FROM replay_value WHERE expires_at <= $now"
                : "DELETE FROM replay_value WHERE scope = $scope AND value = $value AND expires_at <= $now";
            command.ExecuteNonQuery();
            command.CommandText = "INSERT INTO replay_value (scope, value, expires_at) VALUES ($scope, $value, $expires) ON CONFLICT DO NOTHING";
            var added = command.ExecuteNonQuery() == 1;
            transaction.Commit();
            return added;
        });
    }
}
