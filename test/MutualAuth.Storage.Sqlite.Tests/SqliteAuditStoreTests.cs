using MutualAuth.Authentication;
using MutualAuth.Testing;

namespace MutualAuth.Storage.Sqlite.Tests;

public sealed class SqliteAuditStoreTests : IDisposable
{
    private readonly TempFolder _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Events_round_trip_newest_first()
    {
        var store = new SqliteAuditStore(new DataFolder(_directory.Path).OpenDatabase());
        await store.AppendAsync(new AuditEvent { Time = TestPki.Now, Decision = AuditDecision.Refuse, Method = "mtls", ReasonCode = "revoked", PeerAddress = "127.0.0.1:5000", CredentialId = "0A", Detail = "d" });
        await store.AppendAsync(new AuditEvent { Time = TestPki.Now.AddSeconds(1), Decision = AuditDecision.Accept, Method = "mtls", ReasonCode = "ok", Subject = "alice" });

        var events = await store.ListRecentAsync(10);

        Assert.Equal(["ok", "revoked"], events.Select(e => e.ReasonCode));
        Assert.Equal(AuditDecision.Accept, events[0].Decision);
        Assert.Equal("alice", events[0].Subject);
        Assert.Null(events[0].PeerAddress);
        Assert.Equal(TestPki.Now, events[1].Time);
        Assert.Equal("127.0.0.1:5000", events[1].PeerAddress);
    }

    [Fact]
    public async Task A_range_is_written_in_order_in_one_transaction()
    {
        var store = new SqliteAuditStore(new DataFolder(_directory.Path).OpenDatabase());
        var events = Enumerable.Range(0, 300)
            .Select(i => new AuditEvent { Time = TestPki.Now.AddSeconds(i), Decision = AuditDecision.Accept, Method = "sig", ReasonCode = $"r{i}", Subject = i % 2 == 0 ? null : "bob" })
            .ToList();

        await store.AppendRangeAsync(events);

        var read = await store.ListRecentAsync(1000);
        Assert.Equal(events.Select(e => e.ReasonCode).Reverse(), read.Select(e => e.ReasonCode));
        Assert.Equal(events.Select(e => e.Subject).Reverse(), read.Select(e => e.Subject));
    }

    [Fact]
    public async Task A_range_with_a_null_event_writes_none_of_it()
    {
        var store = new SqliteAuditStore(new DataFolder(_directory.Path).OpenDatabase());
        var good = new AuditEvent { Time = TestPki.Now, Decision = AuditDecision.Accept, Method = "mtls", ReasonCode = "ok" };

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.AppendRangeAsync([good, null!]));

        Assert.Empty(await store.ListRecentAsync(10));
    }

    [Fact]
    public async Task Migrations_run_once_and_reopening_keeps_data()
    {
        var folder = new DataFolder(_directory.Path);
        await new SqliteAuditStore(folder.OpenDatabase()).AppendAsync(new AuditEvent { Time = TestPki.Now, Decision = AuditDecision.Accept, Method = "mtls", ReasonCode = "ok" });

        Assert.Single(await new SqliteAuditStore(folder.OpenDatabase()).ListRecentAsync(10));
    }
}
