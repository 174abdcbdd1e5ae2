using MutualAuth.Authentication;
using Npgsql;

namespace MutualAuth.Storage.PostgreSql;

/// <summary>The <see cref="IAuditStore"/> shared by every node: one table, each event with the name of the node that decided.</summary>
/// <param name="database">The database.</param>
/// <param name="nodeName">This node's name (default: the host name).</param>
public sealed class PostgresAuditStore(PostgresDatabase database, string? nodeName = null) : IAuditStore
{
    /// <summary>The name written with this node's events.</summary>
    public string NodeName { get; } = nodeName ?? Environment.MachineName;

    /// <inheritdoc />
    public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return AppendRangeAsync([auditEvent], cancellationToken);
    }

    /// <summary>Appends the events in one transaction: all of them or, on an error, none.</summary>
    /// <exception cref="StoreException">The database cannot be written.</exception>
    public async ValueTask AppendRangeAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        if (auditEvents.Count == 0)
        {
            return;
        }

        foreach (var auditEvent in auditEvents)
        {
            ArgumentNullException.ThrowIfNull(auditEvent, nameof(auditEvents));
        }

        await database.RunAsync(async (connection, cancel) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancel).ConfigureAwait(false);
            // One round trip for the batch.
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var e in auditEvents)
            {
                var command = new NpgsqlBatchCommand("""
                    INSERT INTO audit_event (time, node, decision, method, peer_address, subject, credential_id, reason_code, detail)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    """);
                object?[] values = [e.Time.ToUniversalTime(), NodeName, e.Decision == AuditDecision.Accept ? "accept" : "refuse", e.Method, e.PeerAddress, e.Subject, e.CredentialId, e.ReasonCode, e.Detail];
                foreach (var value in values)
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
                }

                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
            await transaction.CommitAsync(cancel).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEvent>> ListRecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        return database.RunAsync<IReadOnlyList<AuditEvent>>(async (connection, cancel) =>
        {
            await using var command = PostgresDatabase.Command(connection, """
                SELECT time, decision, method, peer_address, subject, credential_id, reason_code, detail, node
                FROM audit_event ORDER BY id DESC LIMIT @limit
                """, ("limit", limit));
            await using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            var events = new List<AuditEvent>();
            while (await reader.ReadAsync(cancel).ConfigureAwait(false))
            {
                events.Add(new AuditEvent
                {
                    Time = reader.GetFieldValue<DateTimeOffset>(0),
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
        }, cancellationToken);
    }
}
