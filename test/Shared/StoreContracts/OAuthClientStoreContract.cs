using MutualAuth.Storage;

namespace MutualAuth.Testing.StoreContracts;

/// <summary>The cases every <see cref="IOAuthClientStore"/> passes (SQLite and PostgreSQL); node 1 is a second instance on the same database.</summary>
public abstract class OAuthClientStoreContract
{
    protected abstract IOAuthClientStore Clients(int node = 0);

    private static OAuthClientRecord Record(string id) =>
        new() { ClientId = id, AuthenticationMethod = "private_key_jwt", Jwks = "{\"keys\":[]}", Scopes = ["read", "write"], CreatedAt = DateTimeOffset.UnixEpoch };

    [Fact]
    public async Task Clients_are_added_once_found_listed_rekeyed_and_removed()
    {
        var store = Clients();
        var record = Record("svc");

        Assert.True(await store.AddAsync(record));
        Assert.False(await store.AddAsync(record with { Scopes = [] }));
        var found = await store.FindAsync("svc");
        Assert.Equal(["read", "write"], found!.Scopes);
        Assert.True(await store.ReplaceKeysAsync("svc", "{\"keys\":[1]}"));
        Assert.Equal("{\"keys\":[1]}", (await store.FindAsync("svc"))!.Jwks);
        Assert.Single(await store.ListAsync());
        Assert.True(await store.RemoveAsync("svc"));
        Assert.False(await store.RemoveAsync("svc"));
        Assert.Null(await store.FindAsync("svc"));
    }

    [Fact]
    public async Task A_client_added_through_one_node_is_found_rotated_and_removed_through_the_other()
    {
        var mtls = new OAuthClientRecord { ClientId = "m", AuthenticationMethod = "tls_client_auth", CertificateSubject = "m.example", CreatedAt = DateTimeOffset.UnixEpoch.AddDays(1) };
        Assert.True(await Clients(0).AddAsync(Record("b")));
        Assert.True(await Clients(0).AddAsync(mtls));
        Assert.False(await Clients(1).AddAsync(Record("b")));

        Assert.Equivalent(mtls, await Clients(1).FindAsync("m"));
        Assert.Equal(["b", "m"], (await Clients(1).ListAsync()).Select(c => c.ClientId));
        Assert.True(await Clients(1).ReplaceKeysAsync("b", "{\"keys\":[2]}"));
        Assert.Equal("{\"keys\":[2]}", (await Clients(0).FindAsync("b"))!.Jwks);
        Assert.False(await Clients(1).ReplaceKeysAsync("nobody", "{}"));
        Assert.True(await Clients(1).RemoveAsync("b"));
        Assert.Null(await Clients(0).FindAsync("b"));
    }

    [Fact]
    public async Task Of_concurrent_registrations_of_one_client_id_exactly_one_succeeds()
    {
        var added = 0;
        await Parallel.ForAsync(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, cancellationToken) =>
        {
            if (await Clients(i % 2).AddAsync(Record("race") with { Jwks = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken))
            {
                Interlocked.Increment(ref added);
            }
        });

        Assert.Equal(1, added);
    }
}
