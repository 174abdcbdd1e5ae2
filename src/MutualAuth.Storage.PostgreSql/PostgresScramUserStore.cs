using MutualAuth.Scram;

namespace MutualAuth.Storage.PostgreSql;

/// <summary>The <see cref="IScramUserStore"/> shared by every node.</summary>
/// <param name="database">The database.</param>
public sealed class PostgresScramUserStore(PostgresDatabase database) : IScramUserStore
{
    /// <inheritdoc />
    public Task SaveAsync(string userName, IReadOnlyList<ScramCredential> credentials, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentNullException.ThrowIfNull(credentials);
        if (!ScramCredential.TryPrepareUserName(userName, out var name))
        {
            throw new ArgumentException("SASLprep (RFC 4013) refuses the user name.", nameof(userName));
        }

        return database.RunAsync(async (connection, cancel) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancel).ConfigureAwait(false);
            await using (var delete = PostgresDatabase.Command(connection, "DELETE FROM scram_user WHERE name = @name", ("name", name)))
            {
                await delete.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
            }

            foreach (var credential in credentials)
            {
                await using var insert = PostgresDatabase.Command(connection, """
                    INSERT INTO scram_user (name, mechanism, salt, iterations, stored_key, server_key, updated_at)
                    VALUES (@name, @mechanism, @salt, @iterations, @stored, @server, @at)
                    """, ("name", name), ("mechanism", credential.Mechanism.Hash.Name), ("salt", credential.Salt), ("iterations", credential.Iterations),
                    ("stored", credential.StoredKey), ("server", credential.ServerKey), ("at", at.ToUniversalTime()));
                await insert.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancel).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<ScramCredential?> FindAsync(string userName, ScramMechanism mechanism, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        if (!ScramCredential.TryPrepareUserName(userName, out var name))
        {
            return null;
        }

        return await database.RunAsync(async (connection, cancel) =>
        {
            await using var command = PostgresDatabase.Command(connection,
                "SELECT salt, iterations, stored_key, server_key FROM scram_user WHERE name = @name AND mechanism = @mechanism", ("name", name), ("mechanism", mechanism.Hash.Name));
            await using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            return await reader.ReadAsync(cancel).ConfigureAwait(false)
                ? new ScramCredential(mechanism, (byte[])reader[0], reader.GetInt32(1), (byte[])reader[2], (byte[])reader[3])
                : null;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ScramCredentialShape>> ShapesAsync(ScramMechanism mechanism, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        return await database.RunAsync<IReadOnlyList<ScramCredentialShape>>(async (connection, cancel) =>
        {
            await using var command = PostgresDatabase.Command(connection,
                "SELECT iterations, length(salt), count(*)::int FROM scram_user WHERE mechanism = @mechanism GROUP BY iterations, length(salt)", ("mechanism", mechanism.Hash.Name));
            await using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            var shapes = new List<ScramCredentialShape>();
            while (await reader.ReadAsync(cancel).ConfigureAwait(false))
            {
                shapes.Add(new ScramCredentialShape(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2)));
            }

            return shapes;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(string userName, CancellationToken cancellationToken = default) =>
        ScramCredential.TryPrepareUserName(userName, out var name) && await database.RunAsync(async (connection, cancel) =>
        {
            await using var command = PostgresDatabase.Command(connection, "DELETE FROM scram_user WHERE name = @name", ("name", name));
            return await command.ExecuteNonQueryAsync(cancel).ConfigureAwait(false) > 0;
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<IReadOnlyList<(string UserName, IReadOnlyList<string> Mechanisms, DateTimeOffset UpdatedAt)>> ListAsync(CancellationToken cancellationToken = default) =>
        database.RunAsync<IReadOnlyList<(string, IReadOnlyList<string>, DateTimeOffset)>>(async (connection, cancel) =>
        {
            await using var command = PostgresDatabase.Command(connection,
                "SELECT name, string_agg(mechanism, ','), max(updated_at) FROM scram_user GROUP BY name ORDER BY name COLLATE \"C\"");
            await using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            var users = new List<(string, IReadOnlyList<string>, DateTimeOffset)>();
            while (await reader.ReadAsync(cancel).ConfigureAwait(false))
            {
                var mechanisms = reader.GetString(1).Split(',').Select(h => "SCRAM-" + h.Replace("SHA", "SHA-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
                users.Add((reader.GetString(0), mechanisms, reader.GetFieldValue<DateTimeOffset>(2)));
            }

            return users;
        }, cancellationToken);
}
