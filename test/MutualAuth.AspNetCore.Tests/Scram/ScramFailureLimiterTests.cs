using MutualAuth.AspNetCore.Scram;

namespace MutualAuth.AspNetCore.Tests.Scram;

public sealed class ScramFailureLimiterTests
{
    private static ScramFailureLimiter Create() => new(new ScramAuthenticationOptions());

    [Fact]
    public void Made_up_names_and_addresses_land_in_a_bounded_set_of_buckets()
    {
        using var limiter = Create();

        var users = Enumerable.Range(0, 100_000).Select(i => limiter.Slot($"user-{i}")).ToHashSet();
        var addresses = Enumerable.Range(0, 100_000).Select(i => limiter.AddressSlot($"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}")).ToHashSet();

        Assert.True(users.Count <= ScramFailureLimiter.Slots, $"{users.Count} buckets");
        Assert.True(addresses.Count <= ScramFailureLimiter.Slots, $"{addresses.Count} buckets");
        Assert.True(users.Count > ScramFailureLimiter.Slots / 2, "the names should spread over the buckets");
    }

    [Fact]
    public void An_ipv6_64_block_is_one_client_and_ipv4_mapped_addresses_are_not_merged()
    {
        using var limiter = Create();

        Assert.Equal(limiter.AddressSlot("2001:db8:1:2::1"), limiter.AddressSlot("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        Assert.NotEqual(limiter.AddressSlot("::ffff:192.0.2.1"), limiter.AddressSlot("::ffff:192.0.2.2"));
    }

    [Fact]
    public void Buckets_depend_on_a_key_made_at_start_up()
    {
        using var first = Create();
        using var second = Create();

        var names = Enumerable.Range(0, 64).Select(i => $"user-{i}").ToList();

        Assert.NotEqual(names.Select(first.Slot), names.Select(second.Slot));
    }

    [Fact]
    public void A_name_runs_out_after_its_burst_and_another_name_does_not()
    {
        using var limiter = Create();
        var options = new ScramAuthenticationOptions();
        for (var i = 0; i < options.UserFailureBurst; i++)
        {
            Assert.True(limiter.IsAllowed("alice", $"192.0.2.{i}", out _));
            limiter.RecordFailure("alice", $"192.0.2.{i}");
        }

        Assert.False(limiter.IsAllowed("alice", "192.0.2.200", out var wait));
        Assert.Equal(options.UserFailureRefill, wait);
        var other = Enumerable.Range(0, 100).Select(i => $"bob-{i}").First(n => limiter.Slot(n) != limiter.Slot("alice"));
        Assert.True(limiter.IsAllowed(other, "192.0.2.200", out _));
    }
}
