using Microsoft.Extensions.Logging.Abstractions;
using MutualAuth.AspNetCore.Audit;
using MutualAuth.Authentication;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.Tests.Audit;

public sealed class SpooledAuditStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mutualauth-spool-").FullName;

    private string SpoolPath => Path.Combine(_folder, "audit-spool.jsonl");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static AuditEvent Event(string reason) => new()
    {
        Time = DateTimeOffset.UnixEpoch.AddSeconds(1), Decision = AuditDecision.Refuse, Method = "sig", PeerAddress = "[::1]:5000",
        Subject = "a \"quoted\"\nsubject", CredentialId = null, ReasonCode = reason, Detail = "détail",
    };

    private SpooledAuditStore Open(FlakyStore inner, StoreAvailability availability, long maxSpoolBytes = SpooledAuditStore.DefaultMaxSpoolBytes) =>
        new(inner, SpoolPath, availability, NullLogger<SpooledAuditStore>.Instance, maxSpoolBytes, TimeSpan.FromHours(1));

    [Fact]
    public async Task Events_the_database_refuses_are_spooled_and_written_back_in_order_before_newer_ones()
    {
        var inner = new FlakyStore { Down = true };
        await using var store = Open(inner, new StoreAvailability());
        await store.AppendRangeAsync([Event("e0"), Event("e1")]);
        await store.AppendAsync(Event("e2"));
        inner.Down = false;
        await store.AppendAsync(Event("e3")); // behind the spooled ones, though the database is back

        Assert.Empty(inner.Written);
        Assert.True(store.HasSpooledEvents);
        Assert.True(await store.DrainAsync());

        Assert.Equal(["e0", "e1", "e2", "e3"], inner.Written.Select(e => e.ReasonCode));
        Assert.Equal(Event("e0"), inner.Written[0]);
        Assert.False(File.Exists(SpoolPath));
        await store.AppendAsync(Event("e4"));
        Assert.Equal("e4", inner.Written[^1].ReasonCode);
    }

    [Fact]
    public async Task The_spool_survives_a_restart_and_a_torn_last_line_is_cut()
    {
        var inner = new FlakyStore { Down = true };
        await using (var store = Open(inner, new StoreAvailability()))
        {
            await store.AppendRangeAsync([Event("e0"), Event("e1")]);
        }

        await File.AppendAllTextAsync(SpoolPath, "{\"time\":\"2026-"); // a crash in the middle of an append
        inner.Down = false;
        await using var reopened = Open(inner, new StoreAvailability());

        Assert.True(await reopened.DrainAsync());
        Assert.Equal(["e0", "e1"], inner.Written.Select(e => e.ReasonCode));
    }

    [Fact]
    public async Task A_full_spool_makes_the_store_unavailable_until_it_is_drained()
    {
        var inner = new FlakyStore { Down = true };
        var availability = new StoreAvailability();
        await using var store = Open(inner, availability, maxSpoolBytes: 400);

        await store.AppendAsync(Event("e0"));
        Assert.False(availability.IsAuditSpoolFull);
        for (var i = 1; i < 5; i++)
        {
            await store.AppendAsync(Event($"e{i}"));
        }

        Assert.True(availability.IsAuditSpoolFull);
        Assert.False(availability.IsAvailable);
        Assert.False(await store.DrainAsync());
        inner.Down = false;
        Assert.True(await store.DrainAsync());
        Assert.False(availability.IsAuditSpoolFull);
        Assert.Equal(5, inner.Written.Count);
    }

    private sealed class FlakyStore : IAuditStore
    {
        public volatile bool Down;

        public List<AuditEvent> Written { get; } = [];

        public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) => AppendRangeAsync([auditEvent], cancellationToken);

        public ValueTask AppendRangeAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
        {
            if (Down)
            {
                throw new StoreException("database down");
            }

            Written.AddRange(auditEvents);
            return ValueTask.CompletedTask;
        }

        public Task<IReadOnlyList<AuditEvent>> ListRecentAsync(int limit, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<AuditEvent>>(Written);
    }
}
