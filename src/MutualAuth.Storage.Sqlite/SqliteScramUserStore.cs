using Microsoft.Data.Sqlite;
using MutualAuth.Scram;

namespace MutualAuth.Storage.Sqlite;

/// <summary>The <see cref="IScramUserStore"/> of the embedded default.</summary>
/// <param name="database">The database.</param>
public sealed class SqliteScramUserStore(SqliteDatabase database) : IScramUserStore
{
    /// <inheritdoc />
    public Task SaveAsync(string userName, IReadOnlyList<ScramCredential> credentials, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentNullException.ThrowIfNull(credentials);
        if (!ScramCredential.TryPrepareUserName(userName, out var name))
        {
            throw new ArgumentException("SASLprep (RFC 4013) refuses the user name.", nameof(userName));
        }

        Run(connection =>
        {
            using var transaction = connection.BeginTransaction();
            using (var delete = connection.CreateCommand())
            {
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM scram_user WHERE name = $name";
                delete.Parameters.AddWithValue("$name", name);
                delete.ExecuteNonQuery();
            }

            foreach (var credential in credentials)
            {
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO scram_user (name, mechanism, salt, iterations, stored_key, server_key, updated_at)
                    VALUES ($name, $mechanism, $salt, $iterations, $stored, $server, $at)
                    """;
                insert.Parameters.AddWithValue("$name", name);
                insert.Parameters.AddWithValue("$mechanism", credential.Mechanism.Hash.Name);
                insert.Parameters.AddWithValue("$salt", credential.Salt);
                insert.Parameters.AddWithValue("$iterations", credential.Iterations);
                insert.Parameters.AddWithValue("$stored", credential.StoredKey);
                insert.Parameters.AddWithValue("$server", credential.ServerKey);
                insert.Parameters.AddWithValue("$at", SqlTime.Format(at));
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
            return 0;
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<ScramCredential?> FindAsync(string userName, ScramMechanism mechanism, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        cancellationToken.ThrowIfCancellationRequested();
        if (!ScramCredential.TryPrepareUserName(userName, out var name))
        {
            return ValueTask.FromResult<ScramCredential?>(null);
        }

        return ValueTask.FromResult(Run(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT salt, iterations, stored_key, server_key FROM scram_user WHERE name = $name AND mechanism = $mechanism";
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$mechanism", mechanism.Hash.Name);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new ScramCredential(mechanism, (byte[])reader[0], reader.GetInt32(1), (byte[])reader[2], (byte[])reader[3])
                : null;
        }));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ScramCredentialShape>> ShapesAsync(ScramMechanism mechanism, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<ScramCredentialShape>>(Run(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT iterations, length(salt), count(*) FROM scram_user WHERE mechanism = $mechanism GROUP BY iterations, length(salt)";
            command.Parameters.AddWithValue("$mechanism", mechanism.Hash.Name);
            using var reader = command.ExecuteReader();
            var shapes = new List<ScramCredentialShape>();
            while (reader.Read())
            {
                shapes.Add(new ScramCredentialShape(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2)));
            }

            return shapes;
        }));
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string userName, CancellationToken cancellationToken = default) => Task.FromResult(ScramCredential.TryPrepareUserName(userName, out var name) && Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM scram_user WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteNonQuery() > 0;
    }));

    /// <inheritdoc />
    public Task<IReadOnlyList<(string UserName, IReadOnlyList<string> Mechanisms, DateTimeOffset UpdatedAt)>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<(string, IReadOnlyList<string>, DateTimeOffset)>>(Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, group_concat(mechanism, ','), max(updated_at) FROM scram_user GROUP BY name ORDER BY name";
        using var reader = command.ExecuteReader();
        var users = new List<(string, IReadOnlyList<string>, DateTimeOffset)>();
        while (reader.Read())
        {
            var mechanisms = reader.GetString(1).Split(',').Select(h => "SCRAM-" + h.Replace("SHA", "SHA-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            users.Add((reader.GetString(0), mechanisms, SqlTime.Parse(reader.GetString(2))));
        }

        return users;
    }));

    private T Run<T>(Func<SqliteConnection, T> action) => database.Run(action);
}
