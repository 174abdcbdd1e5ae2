namespace MutualAuth.Storage.Sqlite;

/// <summary>The <see cref="IWebAuthnChallengeStore"/> of the embedded default: taking is one <c>DELETE … RETURNING</c>, so a challenge is used once.</summary>
/// <param name="database">The database.</param>
public sealed class SqliteWebAuthnChallengeStore(SqliteDatabase database) : IWebAuthnChallengeStore
{

    /// <inheritdoc />
    public Task AddAsync(string id, string purpose, string payload, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        WebAuthnChallengeLimits.ValidateAdd(id, purpose, payload);
        database.RunWrite(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO webauthn_challenge (id, purpose, payload, expires_at) VALUES ($id, $purpose, $payload, $expires)";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$purpose", purpose);
            command.Parameters.AddWithValue("$payload", payload);
            command.Parameters.AddWithValue("$expires", SqlTime.Format(expires));
            return command.ExecuteNonQuery();
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<string?> TakeAsync(string id, string purpose, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(purpose);
        if (id.Length > WebAuthnChallengeLimits.MaxIdLength)
        {
            return Task.FromResult<string?>(null);
        }

        return Task.FromResult(database.RunWrite(connection =>
        {
            using var command = connection.CreateCommand();
            // Deleted whether expired or not, with every expired one (the table never holds more than minutes of them);
            // returned only while live and for the same purpose.
            command.CommandText = "DELETE FROM webauthn_challenge WHERE id = $id OR expires_at <= $now RETURNING id, purpose, payload, expires_at";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$now", SqlTime.Format(now));
            using var reader = command.ExecuteReader();
            string? payload = null;
            while (reader.Read())
            {
                if (reader.GetString(0) == id && reader.GetString(1) == purpose && SqlTime.Parse(reader.GetString(3)) > now)
                {
                    payload = reader.GetString(2);
                }
            }

            return payload;
        }));
    }
}
