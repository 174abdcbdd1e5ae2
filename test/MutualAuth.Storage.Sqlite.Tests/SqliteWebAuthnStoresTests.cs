using MutualAuth.Testing;

namespace MutualAuth.Storage.Sqlite.Tests;

public sealed class SqliteWebAuthnStoresTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();
    private readonly SqliteDatabase _database;

    public SqliteWebAuthnStoresTests() => _database = new SqliteDatabase(Path.Combine(_temp.Path, "db"));

    public void Dispose() => _temp.Dispose();

    private static WebAuthnCredentialRecord Credential(byte id, string user) =>
        new([id, 2, 3], user, [9, 9], [4, 5, 6], 7, BackupEligible: true, BackedUp: false, Guid.Parse("00000000-0000-0000-0000-000000000001"), "none", Now, null);

    [Fact]
    public async Task Credentials_round_trip_list_by_user_and_refuse_a_second_id()
    {
        var store = new SqliteWebAuthnCredentialStore(_database);
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
        var store = new SqliteWebAuthnCredentialStore(_database);
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
        var store = new SqliteWebAuthnCredentialStore(_database);
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
        var store = new SqliteWebAuthnChallengeStore(_database);
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
    public async Task Taking_purges_expired_challenges()
    {
        var store = new SqliteWebAuthnChallengeStore(_database);
        await store.AddAsync("old", "login", "x", Now);
        await store.AddAsync("new", "login", "y", Now.AddMinutes(5));
        Assert.Null(await store.TakeAsync("other", "login", Now.AddMinutes(1)));
        var left = _database.Run(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT group_concat(id) FROM webauthn_challenge";
            return command.ExecuteScalar() as string;
        });
        Assert.Equal("new", left);
    }
}
