using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MutualAuth.AspNetCore.Audit;
using MutualAuth.Authentication;
using MutualAuth.Storage;

namespace MutualAuth.AspNetCore.Tests.Audit;

public sealed class QueuedAuditStoreTests
{
    private static AuditEvent Event(string reason) => new() { Time = DateTimeOffset.UnixEpoch, Decision = AuditDecision.Accept, Method = "mtls", ReasonCode = reason };

    [Fact]
    public async Task Queued_events_are_all_written_in_order_and_read_back_through_the_queue()
    {
        var inner = new RecordingStore();
        await using var store = new QueuedAuditStore(inner, NullLogger<QueuedAuditStore>.Instance);

        for (var i = 0; i < 1000; i++)
        {
            await store.AppendAsync(Event($"e{i}"));
        }

        var recent = await store.ListRecentAsync(10_000);

        Assert.Equal(1000, recent.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"e{i}"), inner.Written.Select(e => e.ReasonCode));
        Assert.True(inner.Batches > 0 && inner.Batches <= 1000);
    }

    [Fact]
    public async Task Disposing_writes_what_is_still_queued()
    {
        var inner = new RecordingStore { Gate = new ManualResetEventSlim(false) };
        var store = new QueuedAuditStore(inner, NullLogger<QueuedAuditStore>.Instance);
        await store.AppendAsync(Event("first"));
        await store.AppendAsync(Event("second"));

        var disposing = store.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted);
        inner.Gate.Set();
        await disposing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["first", "second"], inner.Written.Select(e => e.ReasonCode));
    }

    [Fact]
    public async Task A_full_queue_writes_on_the_callers_thread_instead_of_dropping()
    {
        var inner = new RecordingStore { Gate = new ManualResetEventSlim(false) };
        await using var store = new QueuedAuditStore(inner, NullLogger<QueuedAuditStore>.Instance, capacity: 1);
        await store.AppendAsync(Event("taken by the writer"));
        Assert.True(SpinWait.SpinUntil(() => inner.Waiting, TimeSpan.FromSeconds(10)));
        await store.AppendAsync(Event("queued"));

        await store.AppendAsync(Event("written directly"));

        Assert.Equal(["written directly"], inner.Written.Select(e => e.ReasonCode));
        inner.Gate.Set();
        store.Flush();
        Assert.Equal(3, inner.Written.Count);
    }

    [Fact]
    public async Task A_failing_write_is_logged_and_later_events_still_go_through()
    {
        var inner = new RecordingStore { FailNext = true };
        var logger = new ListLogger();
        await using var store = new QueuedAuditStore(inner, logger);

        await store.AppendAsync(Event("lost"));
        store.Flush();
        await store.AppendAsync(Event("kept"));
        store.Flush();

        Assert.Equal(["kept"], inner.Written.Select(e => e.ReasonCode));
        var error = Assert.Single(logger.Messages);
        Assert.Contains("Could not write 1 audit events", error, StringComparison.Ordinal);
    }

    private sealed class RecordingStore : IAuditStore
    {
        private readonly Lock _lock = new();

        public List<AuditEvent> Written { get; } = [];

        public ManualResetEventSlim? Gate { get; init; }

        public bool FailNext { get; set; }

        public volatile bool Waiting;

        public int Batches { get; private set; }

        public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
        {
            lock (_lock)
            {
                Written.Add(auditEvent);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask AppendRangeAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
        {
            Waiting = true;
            Gate?.Wait(cancellationToken);
            if (FailNext)
            {
                FailNext = false;
                throw new StoreException("disk full");
            }

            lock (_lock)
            {
                Batches++;
                Written.AddRange(auditEvents);
            }

            return ValueTask.CompletedTask;
        }

        public Task<IReadOnlyList<AuditEvent>> ListRecentAsync(int limit, CancellationToken cancellationToken = default)
        {
            lock (_lock)
            {
                return Task.FromResult<IReadOnlyList<AuditEvent>>([.. Written.AsEnumerable().Reverse().Take(limit)]);
            }
        }
    }

    private sealed class ListLogger : ILogger<QueuedAuditStore>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages)
            {
                Messages.Add(formatter(state, exception));
            }
        }
    }
}
