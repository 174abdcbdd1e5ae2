using Microsoft.Extensions.Time.Testing;
using MutualAuth.Testing;

namespace MutualAuth.Storage.Sqlite.Tests;

public sealed class SqliteWriteBehindReplayCacheTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly SqliteDatabase _database;

    public SqliteWriteBehindReplayCacheTests() => _database = new SqliteDatabase(Path.Combine(_temp.Path, "db"));

    public void Dispose() => _temp.Dispose();

    // Zero flush interval: the writer does not wait on the fake clock.
    private SqliteWriteBehindReplayCache Open(int capacity = SqliteWriteBehindReplayCache.DefaultCapacity) =>
        new(_database, _time, capacity, TimeSpan.Zero);

    [Fact]
    public async Task A_value_is_accepted_once_until_it_expires()
    {
        await using var cache = Open();

        Assert.True(await cache.TryAddAsync("k1", "n1", Now.AddMinutes(5), Now));
        Assert.False(await cache.TryAddAsync("k1", "n1", Now.AddMinutes(5), Now.AddMinutes(1)));
        Assert.True(await cache.TryAddAsync("k2", "n1", Now.AddMinutes(5), Now));
        Assert.True(await cache.TryAddAsync("k1", "n1", Now.AddMinutes(10), Now.AddMinutes(6)));
        Assert.False(await cache.TryAddAsync("k1", "n1", Now.AddMinutes(10), Now.AddMinutes(7)));
    }

    [Fact]
    public async Task Of_many_concurrent_adds_of_one_value_exactly_one_succeeds()
    {
        await using var cache = Open();
        var added = 0;

        await Parallel.ForAsync(0, 256, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
        {
            if (await cache.TryAddAsync("k1", "same-nonce", Now.AddMinutes(5), Now, cancellationToken))
            {
                Interlocked.Increment(ref added);
            }
        });

        Assert.Equal(1, added);
    }

    [Fact]
    public async Task A_value_recorded_before_a_stop_is_refused_after_the_restart()
    {
        await using (var before = Open())
        {
            Assert.True(await before.TryAddAsync("k1", "n1", Now.AddMinutes(5), Now));
        }

        await using var after = Open();

        Assert.False(await after.TryAddAsync("k1", "n1", Now.AddMinutes(5), Now.AddMinutes(1)));
        Assert.True(await after.TryAddAsync("k1", "n2", Now.AddMinutes(5), Now.AddMinutes(1)));
    }

    [Fact]
    public async Task A_flushed_value_survives_a_process_that_never_stopped()
    {
        // As a crash after the batch: the first cache is not disposed, the second reads what was written.
        var crashed = Open();
        Assert.True(await crashed.TryAddAsync("k1", "n1", Now.AddMinutes(5), Now));
        crashed.Flush();

        await using var after = Open();

        Assert.False(await after.TryAddAsync("k1", "n1", Now.AddMinutes(5), Now));
        await crashed.DisposeAsync();
    }

    [Fact]
    public async Task A_value_taken_over_after_expiry_is_stored_with_its_new_expiry()
    {
        await using (var before = Open())
        {
            Assert.True(await before.TryAddAsync("k1", "n1", Now.AddSeconds(10), Now));
            before.Flush();
            Assert.True(await before.TryAddAsync("k1", "n1", Now.AddMinutes(5), Now.AddSeconds(20)));
        }

        _time.Advance(TimeSpan.FromSeconds(30));
        await using var after = Open();

        Assert.False(await after.TryAddAsync("k1", "n1", Now.AddMinutes(6), Now.AddSeconds(30)));
    }

    [Fact]
    public async Task Expired_values_are_not_reloaded()
    {
        await using (var before = Open())
        {
            Assert.True(await before.TryAddAsync("k1", "n1", Now.AddSeconds(10), Now));
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        await using var after = Open(capacity: 1);

        Assert.True(await after.TryAddAsync("k1", "n2", Now.AddMinutes(2), Now.AddMinutes(1)));
    }

    [Fact]
    public async Task A_full_cache_fails_closed_until_values_expire()
    {
        await using var cache = Open(capacity: 2);
        Assert.True(await cache.TryAddAsync("k", "n1", Now.AddSeconds(10), Now));
        Assert.True(await cache.TryAddAsync("k", "n2", Now.AddMinutes(5), Now));

        await Assert.ThrowsAsync<StoreException>(() => cache.TryAddAsync("k", "n3", Now.AddMinutes(5), Now).AsTask());
        Assert.False(await cache.TryAddAsync("k", "n2", Now.AddMinutes(5), Now.AddSeconds(20)));
        Assert.True(await cache.TryAddAsync("k", "n3", Now.AddMinutes(5), Now.AddSeconds(20)));
        await Assert.ThrowsAsync<StoreException>(() => cache.TryAddAsync("k", "n4", Now.AddMinutes(5), Now.AddSeconds(20)).AsTask());
    }

    [Fact]
    public async Task The_synchronous_cache_refuses_what_the_write_behind_cache_stored()
    {
        await using (var before = Open())
        {
            Assert.True(await before.TryAddAsync("k1", "n1", Now.AddMinutes(5), Now));
        }

        // Same table: switching to --replay-sync keeps the values of the window.
        Assert.False(await new SqliteReplayCache(_database).TryAddAsync("k1", "n1", Now.AddMinutes(5), Now.AddMinutes(1)));
    }
}
