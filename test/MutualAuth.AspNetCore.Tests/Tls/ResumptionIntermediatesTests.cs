using System.Security.Cryptography.X509Certificates;
using MutualAuth.AspNetCore.Tls;
using MutualAuth.Testing;

namespace MutualAuth.AspNetCore.Tests.Tls;

public sealed class ResumptionIntermediatesTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void The_intermediates_a_leaf_was_accepted_with_are_recalled_for_that_leaf_only()
    {
        using var alice = _pki.Client("alice");
        using var bob = _pki.Client("bob");
        var memory = new ResumptionIntermediates();

        memory.Remember(alice.Certificate, [_pki.Intermediate]);

        Assert.Equal(_pki.Intermediate.RawData, Assert.Single(memory.Recall(alice.Certificate)).RawData);
        Assert.Empty(memory.Recall(bob.Certificate));
    }

    [Fact]
    public void Leaves_of_one_intermediate_share_one_copy_of_it()
    {
        using var alice = _pki.Client("alice");
        using var bob = _pki.Client("bob");
        var memory = new ResumptionIntermediates();

        memory.Remember(alice.Certificate, [_pki.Intermediate]);
        memory.Remember(bob.Certificate, [_pki.Intermediate]);

        Assert.Same(memory.Recall(alice.Certificate)[0], memory.Recall(bob.Certificate)[0]);
    }

    [Fact]
    public void No_intermediates_or_too_many_are_not_remembered()
    {
        using var alice = _pki.Client("alice");
        var memory = new ResumptionIntermediates();

        memory.Remember(alice.Certificate, []);
        memory.Remember(alice.Certificate, Enumerable.Repeat(_pki.Intermediate, ResumptionIntermediates.MaxIntermediates + 1).ToList());

        Assert.Equal(0, memory.Count);
    }

    [Fact]
    public void A_full_memory_starts_over()
    {
        using var alice = _pki.Client("alice");
        using var bob = _pki.Client("bob");
        using var carol = _pki.Client("carol");
        var memory = new ResumptionIntermediates(capacity: 2);
        X509Certificate2[] intermediates = [_pki.Intermediate];

        memory.Remember(alice.Certificate, intermediates);
        memory.Remember(bob.Certificate, intermediates);
        memory.Remember(carol.Certificate, intermediates);

        Assert.Equal(1, memory.Count);
        Assert.Empty(memory.Recall(alice.Certificate));
        Assert.Single(memory.Recall(carol.Certificate));
    }
}
