using Microsoft.Extensions.Time.Testing;

namespace MutualAuth.Storage.Sqlite.Tests;

public sealed class LocalTokenKeysTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-tokenkeys-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Keys_rotate_after_the_period_and_the_previous_one_stays_published_for_the_overlap()
    {
        var keys = new LocalTokenKeys(new DataFolder(_root), _time);
        var first = keys.Current();
        Assert.Single(first.Published);
        Assert.Same(first, keys.Current());

        _time.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(2));
        var second = keys.Current();
        Assert.NotEqual(first.CurrentKeyId, second.CurrentKeyId);
        Assert.Equal([second.CurrentKeyId, first.CurrentKeyId], second.Published.Select(k => k.KeyId));

        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(2));
        var third = keys.Current();
        Assert.Equal(second.CurrentKeyId, third.CurrentKeyId);
        Assert.Equal([second.CurrentKeyId], third.Published.Select(k => k.KeyId));
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "oauth", "signing")));
    }

    [Fact]
    public void A_second_instance_reads_the_same_key()
    {
        var a = new LocalTokenKeys(new DataFolder(_root), _time).Current();
        var b = new LocalTokenKeys(new DataFolder(_root), _time).Current();
        Assert.Equal(a.CurrentKeyId, b.CurrentKeyId);
    }
}
