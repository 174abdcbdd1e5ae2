namespace MutualAuth.Storage.Sqlite.Tests;

public sealed class SqliteOAuthClientStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mutualauth-clients-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Clients_are_added_once_found_listed_rekeyed_and_removed()
    {
        var store = new SqliteOAuthClientStore(new DataFolder(_root).OpenDatabase());
        var record = new OAuthClientRecord { ClientId = "svc", AuthenticationMethod = "private_key_jwt", Jwks = "{\"keys\":[]}", Scopes = ["read", "write"], CreatedAt = DateTimeOffset.UnixEpoch };

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
}
