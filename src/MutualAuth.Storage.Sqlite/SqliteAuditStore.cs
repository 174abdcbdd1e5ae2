using MutualAuth.Audit;

namespace MutualAuth.Storage.Sqlite;

/// <summary>The <see cref="IAuditStore"/> of the embedded default.</summary>
/// <param name="database">The database.</param>
public sealed class SqliteAuditStore(SqliteDatabase database) : IAuditStore
{
    /// <inheritdoc />
    public void Append(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        database.RunWrite(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO audit_event (time, decision, method, peer_address, subject, credential_id, reason_code, detail)
                VALUES ($time, $decision, $method, $peer, $subject, $credential, $reason, $detail)
                """;
            command.Parameters.AddWithValue("$time", SqlTime.Format(auditEvent.Time));
            command.Parameters.AddWithValue("$decision", auditEvent.Decision == AuditDecision.Accept ? "accept" : "refuse");
            command.Parameters.AddWithValue("$method", auditEvent.Method);
            command.Parameters.AddWithValue("$peer", (object?)auditEvent.PeerAddress ?? DBNull.Value);
            command.Parameters.AddWithValue("$subject", (object?)auditEvent.Subject ?? DBNull.Value);
            command.Parameters.AddWithValue("$credential", (object?)auditEvent.CredentialId ?? DBNull.Value);
            command.Parameters.AddWithValue("$reason", auditEvent.ReasonCode);
            command.Parameters.AddWithValue("$detail", (object?)auditEvent.Detail ?? DBNull.Value);
            return command.ExecuteNonQuery();
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<AuditEvent> ListRecent(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        return database.Run(connection => Read(connection, limit));
    }

    private static List<AuditEvent> Read(Microsoft.Data.Sqlite.SqliteConnection connection, int limit)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT time, decision, method, peer_address, subject, credential_id, reason_code, detail
            FROM audit_event ORDER BY id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var events = new List<AuditEvent>();
        while (reader.Read())
        {
            events.Add(new AuditEvent
            {
                Time = SqlTime.Parse(reader.GetString(0)),
                Decision = reader.GetString(1) == "accept" ? AuditDecision.Accept : AuditDecision.Refuse,
                Method = reader.GetString(2),
                PeerAddress = reader.IsDBNull(3) ? null : reader.GetString(3),
                Subject = reader.IsDBNull(4) ? null : reader.GetString(4),
                CredentialId = reader.IsDBNull(5) ? null : reader.GetString(5),
                ReasonCode = reader.GetString(6),
                Detail = reader.IsDBNull(7) ? null : reader.GetString(7),
            });
        }

        return events;
    }
}
