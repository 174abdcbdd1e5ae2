using MutualAuth.Storage;

namespace MutualAuth.Testing.StoreContracts;

/// <summary>
/// The cases every <see cref="IWebAuthnCredentialStore"/> and <see cref="IWebAuthnChallengeStore"/> passes (SQLite and
/// PostgreSQL); node 1 is a second instance on the same database, as a second gateway node.
/// </summary>
public abstract class WebAuthnStoreContract
{
    protected static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    protected abstract IWebAuthnCredentialStore Credentials(int node = 0);

    protected abstract IWebAuthnChallengeStore Challenges(int node = 0);

    protected static WebAuthnCredentialRecord Credential(byte id, string user) =>
        new([id, 2, 3], user, [9, 9], [4, 5, 6], 7, BackupEligible: true, BackedUp: false, Guid.Parse("00000000-0000-0000-0000-000000000001"), "none", Now, null);

    [Fact]
    public async Task Credentials_round_trip_list_by_user_and_refuse_a_second_id()
    {
        var store = Credentials();
        Assert.True(await store.AddAsync(Credential(1, "alice")));
        Assert.True(await store.AddAsync(Credential(2, "bob")));
        Assert.False(await store.AddAsync(Credential(1, "bob")));

        Assert.Equivalent(Credential(1, "alice"), await store.FindAsync([1, 2, 3]));
        Assert.Null(await store.FindAsync([8]));
        Assert.Equal("alice", Assert.Single(await store.ListAsync("alice")).UserName);
    }

    [Fact]
    public async Task A_use_is_recorded_only_over_the_counter_it_read()
    {
        var store = Credentials();
        await store.AddAsync(Credential(1, "alice"));

        Assert.True(await store.RecordUseAsync([1, 2, 3], 7, 8, backedUp: true, Now.AddMinutes(1)));
        Assert.False(await store.RecordUseAsync([1, 2, 3], 7, 9, backedUp: true, Now.AddMinutes(2)));
        var used = (await store.FindAsync([1, 2, 3]))!;
        Assert.Equal(8u, used.SignCount);
        Assert.True(used.BackedUp);
        Assert.Equal(Now.AddMinutes(1), used.LastUsedAt);
    }

    [Fact]
    public async Task Removal_is_per_user()
    {
        var store = Credentials();
        await store.AddAsync(Credential(1, "alice"));
        await store.AddAsync(Credential(2, "alice"));
        Assert.Equal(0, await store.RemoveAsync("bob", [1, 2, 3]));
        Assert.Equal(1, await store.RemoveAsync("alice", [1, 2, 3]));
        Assert.Equal(1, await store.RemoveAsync("alice"));
        Assert.Empty(await store.ListAsync("alice"));
    }

    [Fact]
    public async Task A_challenge_is_taken_once_for_its_purpose_before_it_expires()
    {
        var store = Challenges();
        await store.AddAsync("a", "login", "payload-a", Now.AddMinutes(2));
        await store.AddAsync("b", "login", "payload-b", Now.AddMinutes(2));
        await store.AddAsync("c", "login", "payload-c", Now.AddMinutes(1));

        Assert.Equal("payload-a", await store.TakeAsync("a", "login", Now));
        Assert.Null(await store.TakeAsync("a", "login", Now));
        Assert.Null(await store.TakeAsync("b", "register", Now)); // another purpose: refused, and gone
        Assert.Null(await store.TakeAsync("b", "login", Now));
        Assert.Null(await store.TakeAsync("c", "login", Now.AddMinutes(1)));
    }

    [Fact]
    public async Task A_credential_registered_and_used_through_one_node_is_seen_by_the_other()
    {
        Assert.True(await Credentials(0).AddAsync(Credential(1, "alice") with { Aaguid = Guid.Parse("01020304-0506-0708-090a-0b0c0d0e0f10"), AttestationFormat = "packed" }));
        Assert.Equal(Guid.Parse("01020304-0506-0708-090a-0b0c0d0e0f10"), (await Credentials(1).FindAsync([1, 2, 3]))!.Aaguid);
        Assert.True(await Credentials(1).RecordUseAsync([1, 2, 3], 7, uint.MaxValue, backedUp: false, Now.AddMinutes(1)));
        Assert.False(await Credentials(0).RecordUseAsync([1, 2, 3], 7, 8, backedUp: false, Now.AddMinutes(1)));
        Assert.Equal(uint.MaxValue, (await Credentials(0).FindAsync([1, 2, 3]))!.SignCount);
        Assert.Equal(1, await Credentials(1).RemoveAsync("alice"));
        Assert.Null(await Credentials(0).FindAsync([1, 2, 3]));
    }

    [Fact]
    public async Task Of_concurrent_takes_of_one_challenge_across_nodes_exactly_one_gets_it()
    {
        await Challenges(0).AddAsync("once", "login", "state", Now.AddMinutes(2));
        var taken = 0;

        await Parallel.ForAsync(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, cancellationToken) =>
        {
            if (await Challenges(i % 2).TakeAsync("once", "login", Now, cancellationToken) is not null)
            {
                Interlocked.Increment(ref taken);
            }
        });

        Assert.Equal(1, taken);
    }

    [Fact]
    public async Task Of_concurrent_logins_over_one_counter_value_across_nodes_exactly_one_is_recorded()
    {
        await Credentials(0).AddAsync(Credential(1, "alice"));
        var recorded = 0;

        await Parallel.ForAsync(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, cancellationToken) =>
        {
            if (await Credentials(i % 2).RecordUseAsync([1, 2, 3], 7, 8 + (uint)i, backedUp: false, Now, cancellationToken))
            {
                Interlocked.Increment(ref recorded);
            }
        });

        Assert.Equal(1, recorded);
    }
}
