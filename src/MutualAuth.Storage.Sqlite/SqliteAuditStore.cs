using MutualAuth.Authentication;

namespace MutualAuth.Storage.Sqlite;

/// <summary>The <see cref="IAuditStore"/> of the embedded default.</summary>
/// <param name="database">The database.</param>
public sealed class SqliteAuditStore(SqliteDatabase database) : IAuditStore
{
    private static readonly string[] ParameterNames = ["$time", "$decision", "$method", "$peer", "$subject", "$credential", "$reason", "$detail"];

    /// <inheritdoc />
    public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return AppendRangeAsync([auditEvent], cancellationToken);
    }

    /// <summary>Appends the events in one transaction: all of them or, on an error, none.</summary>
    /// <exception cref="StoreException">The database cannot be written.</exception>
    public ValueTask AppendRangeAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        cancellationToken.ThrowIfCancellationRequested();
        if (auditEvents.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        database.RunWrite(connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO audit_event (time, decision, method, peer_address, subject, credential_id, reason_code, detail)
                VALUES ($time, $decision, $method, $peer, $subject, $credential, $reason, $detail)
                """;
            var parameters = ParameterNames.Select(name => command.Parameters.Add(name, Microsoft.Data.Sqlite.SqliteType.Text)).ToArray();
            foreach (var auditEvent in auditEvents)
            {
                ArgumentNullException.ThrowIfNull(auditEvent, nameof(auditEvents));
                object?[] values =
                [
                    SqlTime.Format(auditEvent.Time), auditEvent.Decision == AuditDecision.Accept ? "accept" : "refuse", auditEvent.Method,
                    auditEvent.PeerAddress, auditEvent.Subject, auditEvent.CredentialId, auditEvent.ReasonCode, auditEvent.Detail,
                ];
                for (var i = 0; i < values.Length; i++)
                {
                    parameters[i].Value = values[i] ?? DBNull.Value;
                }

                command.ExecuteNonQuery();
            }

            transaction.Commit();
            return auditEvents.Count;
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEvent>> ListRecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<AuditEvent>>(database.Run(connection => Read(connection, limit)));
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
