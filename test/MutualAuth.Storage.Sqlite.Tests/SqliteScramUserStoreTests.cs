using MutualAuth.Scram;
using MutualAuth.Testing;

namespace MutualAuth.Storage.Sqlite.Tests;

public sealed class SqliteScramUserStoreTests : IDisposable
{
    private readonly TempFolder _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_verifier_imported_from_postgres_authenticates_its_password()
    {
        var store = new SqliteScramUserStore(new DataFolder(_directory.Path).OpenDatabase());
        await store.SaveAsync("user", [ScramCredential.ParsePostgres("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=")], TestPki.Now);
        var found = await store.FindAsync("user", ScramMechanism.Sha256);
        var server = new ScramServer(ScramMechanism.Sha256, name => name == "user" ? found : null, new byte[32]);
        var client = new ScramClient(ScramMechanism.Sha256, "user", "pencil");

        var serverFirst = server.HandleClientFirst(client.CreateClientFirst());
        client.VerifyServerFinal(server.HandleClientFinal(client.CreateClientFinal(serverFirst)));

        Assert.True(server.IsAuthenticated && client.IsAuthenticated);
        Assert.Null(await store.FindAsync("user", ScramMechanism.Sha512));
    }

    [Fact]
    public async Task Shapes_count_the_verifiers_of_each_iteration_count_and_salt_length_per_mechanism()
    {
        var store = new SqliteScramUserStore(new DataFolder(_directory.Path).OpenDatabase());
        await store.SaveAsync("a", [ScramCredential.Create(ScramMechanism.Sha256, "pw"), ScramCredential.Create(ScramMechanism.Sha512, "pw", 20_000)], TestPki.Now);
        await store.SaveAsync("b", [ScramCredential.Create(ScramMechanism.Sha256, "pw", 20_000)], TestPki.Now);
        await store.SaveAsync("c", [ScramCredential.Create(ScramMechanism.Sha256, "pw", 20_000)], TestPki.Now);
        await store.SaveAsync("d", [ScramCredential.Derive(ScramMechanism.Sha256, "pw", new byte[24], 20_000)], TestPki.Now);

        Assert.Equal(
            [new(4096, 16, 1), new(20_000, 16, 2), new(20_000, 24, 1)],
            (await store.ShapesAsync(ScramMechanism.Sha256Plus)).OrderBy(s => s.Iterations).ThenBy(s => s.SaltLength).ToList<ScramCredentialShape>());
        Assert.Equal([new ScramCredentialShape(20_000, 16, 1)], await store.ShapesAsync(ScramMechanism.Sha512));
    }

    [Fact]
    public async Task Save_replaces_all_verifiers_and_remove_deletes_them()
    {
        var store = new SqliteScramUserStore(new DataFolder(_directory.Path).OpenDatabase());
        await store.SaveAsync("alice", [ScramCredential.Create(ScramMechanism.Sha256, "one"), ScramCredential.Create(ScramMechanism.Sha512, "one")], TestPki.Now);
        var replacement = ScramCredential.Create(ScramMechanism.Sha256, "two");

        await store.SaveAsync("alice", [replacement], TestPki.Now.AddDays(1));

        Assert.Equal(replacement.StoredKey, (await store.FindAsync("alice", ScramMechanism.Sha256))!.StoredKey);
        Assert.Null(await store.FindAsync("alice", ScramMechanism.Sha512));
        Assert.Equal(["SCRAM-SHA-256"], (await store.ListAsync()).Single().Mechanisms);
        Assert.True(await store.RemoveAsync("alice"));
        Assert.False(await store.RemoveAsync("alice"));
        Assert.Empty(await store.ListAsync());
    }

    [Fact]
    public async Task Names_are_stored_and_found_in_their_saslprep_form()
    {
        var store = new SqliteScramUserStore(new DataFolder(_directory.Path).OpenDatabase());
        await store.SaveAsync("I\u00ADX", [ScramCredential.Create(ScramMechanism.Sha256, "pw")], TestPki.Now);
        var found = await store.FindAsync("IX", ScramMechanism.Sha256);
        var server = new ScramServer(ScramMechanism.Sha256, name => name == "IX" ? found : null, new byte[32]);
        var client = new ScramClient(ScramMechanism.Sha256, "IX", "pw");

        client.VerifyServerFinal(server.HandleClientFinal(client.CreateClientFinal(server.HandleClientFirst(client.CreateClientFirst()))));

        Assert.True(server.IsAuthenticated && client.IsAuthenticated);
        Assert.Equal("IX", (await store.ListAsync()).Single().UserName);
        Assert.NotNull(await store.FindAsync("\u2168", ScramMechanism.Sha256));
        Assert.Null(await store.FindAsync("a\u0007", ScramMechanism.Sha256));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync("a\u0007", [], TestPki.Now));
        Assert.True(await store.RemoveAsync("I\u00ADX"));
    }
}
