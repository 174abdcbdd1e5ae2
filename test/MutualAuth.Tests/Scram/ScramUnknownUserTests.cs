using System.Globalization;
using MutualAuth.Scram;

namespace MutualAuth.Tests.Scram;

/// <summary>Unknown users' server-first messages look like known users': iteration count and salt length follow the stored verifiers.</summary>
public sealed class ScramUnknownUserTests
{
    private static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static (int Iterations, int SaltLength, string Salt) Shape(string serverFirst)
    {
        var attributes = serverFirst.Split(',').ToDictionary(a => a[0], a => a[2..]);
        return (int.Parse(attributes['i'], CultureInfo.InvariantCulture), Convert.FromBase64String(attributes['s']).Length, attributes['s']);
    }

    private static (int Iterations, int SaltLength, string Salt) ServerFirst(IReadOnlyDictionary<string, ScramCredential> users, string name, ScramMechanism? mechanism = null)
    {
        mechanism ??= ScramMechanism.Sha256;
        var shapes = users.Values.GroupBy(c => (c.Iterations, c.Salt.Length)).Select(g => new ScramCredentialShape(g.Key.Iterations, g.Key.Length, g.Count())).ToList();
        var server = new ScramServer(mechanism, n => users.GetValueOrDefault(n), Secret, shapesInUse: shapes);
        return Shape(server.HandleClientFirst($"n,,n={name},r=abc"));
    }

    [Theory]
    [InlineData(4096, 16)]
    [InlineData(10_000, 16)]
    [InlineData(100_000, 16)]
    [InlineData(600_000, 16)]
    [InlineData(10_000, 24)]
    [InlineData(4096, 32)]
    [InlineData(20_000, 48)]
    public void Known_and_unknown_users_show_the_same_iteration_count_and_salt_length(int iterations, int saltLength)
    {
        var users = new Dictionary<string, ScramCredential>
        {
            ["alice"] = ScramCredential.Derive(ScramMechanism.Sha256, "pw", new byte[saltLength], iterations),
            ["bob"] = ScramCredential.Derive(ScramMechanism.Sha256, "pw2", Enumerable.Repeat((byte)7, saltLength).ToArray(), iterations),
        };

        var known = ServerFirst(users, "alice");
        foreach (var name in new[] { "mallory", "root", "admin", "x", "bob2" })
        {
            var unknown = ServerFirst(users, name);
            Assert.Equal((known.Iterations, known.SaltLength), (unknown.Iterations, unknown.SaltLength));
            Assert.Equal(unknown, ServerFirst(users, name));
        }
    }

    [Fact]
    public void With_several_counts_in_use_unknown_users_show_each_as_often_as_users_have_it_and_keep_it()
    {
        var credentials = new[] { (4096, 16), (20_000, 16), (20_000, 16), (20_000, 16), (100_000, 32) };
        var users = credentials.Select((c, i) => ($"user{i}", ScramCredential.Derive(ScramMechanism.Sha256, "pw", new byte[c.Item2], c.Item1)))
            .ToDictionary(u => u.Item1, u => u.Item2);

        var seen = Enumerable.Range(0, 1000).Select(i => ServerFirst(users, $"unknown{i}")).ToList();

        Assert.All(seen, s => Assert.Contains((s.Iterations, s.SaltLength), credentials));
        var counts = seen.GroupBy(s => (s.Iterations, s.SaltLength)).ToDictionary(g => g.Key, g => g.Count());
        // Expected 200, 600 and 200 of 1000; a binomial standard deviation is about 15.
        Assert.InRange(counts.GetValueOrDefault((4096, 16)), 130, 270);
        Assert.InRange(counts.GetValueOrDefault((20_000, 16)), 520, 680);
        Assert.InRange(counts.GetValueOrDefault((100_000, 32)), 130, 270);
        Assert.Equal(seen[17], ServerFirst(users, "unknown17"));
    }

    [Fact]
    public void Without_stored_verifiers_unknown_users_get_the_default_shape_and_the_salt_of_before()
    {
        var withoutShapes = Shape(new ScramServer(ScramMechanism.Sha256, _ => null, Secret).HandleClientFirst("n,,n=nobody,r=abc"));
        var shortSalt = ServerFirst(new Dictionary<string, ScramCredential> { ["a"] = ScramCredential.Derive(ScramMechanism.Sha256, "pw", new byte[16], 4096) }, "nobody");
        var longSalt = ServerFirst(new Dictionary<string, ScramCredential> { ["a"] = ScramCredential.Derive(ScramMechanism.Sha256, "pw", new byte[40], 4096) }, "nobody");

        Assert.Equal((ScramCredential.MinIterations, 16), (withoutShapes.Iterations, withoutShapes.SaltLength));
        Assert.Equal(withoutShapes, shortSalt);
        Assert.Equal(40, longSalt.SaltLength);
        Assert.StartsWith(Convert.ToBase64String(Convert.FromBase64String(shortSalt.Salt)[..15]), longSalt.Salt, StringComparison.Ordinal);
    }
}
