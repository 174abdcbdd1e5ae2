using System.Diagnostics;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;

namespace MutualAuth.Tests.Certificates;

/// <summary>Paths are searched over every candidate issuer, not taken in the order the peer sent them.</summary>
public sealed class PathBuildingTests
{
    private static X509Extension PermittedDns(string dns) => RawPki.Extension("2.5.29.30", true, w =>
    {
        using (w.PushSequence())
        using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        using (w.PushSequence())
        {
            w.WriteCharacterString(UniversalTagNumber.IA5String, dns, new Asn1Tag(TagClass.ContextSpecific, 2));
        }
    });

    [Fact]
    public void Intermediates_sent_in_the_wrong_order_still_build()
    {
        var root = RawPki.Root();
        var upper = RawPki.Intermediate(root, "CN=Upper");
        var lower = RawPki.Intermediate(upper, "CN=Lower");
        var leaf = RawPki.Leaf(lower);

        var result = RawPki.Validate(leaf, RawPki.ServerPolicy(root), null, upper, lower);

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal(4, result.ChainSubjects.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void When_one_candidate_path_violates_name_constraints_another_valid_one_is_used(bool constrainedFirst)
    {
        var constrainedRoot = RawPki.Root("CN=Constrained Root");
        var openRoot = RawPki.Root("CN=Open Root");
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var viaConstrained = RawPki.Intermediate(constrainedRoot, "CN=Issuing", r => r.CertificateExtensions.Add(PermittedDns("example.org")), key);
        var viaOpen = RawPki.Intermediate(openRoot, "CN=Issuing", key: key);
        var leaf = RawPki.Leaf(viaConstrained, "CN=leaf.example.com", ["leaf.example.com"]);
        var policy = RawPki.ServerPolicy(constrainedRoot, openRoot);
        RawPki.Issued[] sent = constrainedFirst ? [viaConstrained, viaOpen] : [viaOpen, viaConstrained];

        var result = RawPki.Validate(leaf, policy, "leaf.example.com", sent);

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal("CN=Open Root", result.ChainSubjects[^1]);
        Assert.Equal(ChainFailureReason.NameConstraintViolation, RawPki.Validate(leaf, RawPki.ServerPolicy(constrainedRoot), "leaf.example.com", sent).Reason);
    }

    [Fact]
    public void Cross_signed_cas_that_form_a_cycle_build_a_valid_path_in_bounded_time()
    {
        var root = RawPki.Root();
        var keyA = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyB = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var a = RawPki.Intermediate(root, "CN=A", key: keyA);
        var b = RawPki.Intermediate(a, "CN=B", key: keyB);
        var aByB = RawPki.Intermediate(b, "CN=A", key: keyA);
        var bByA = RawPki.Intermediate(aByB, "CN=B", key: keyB);
        var leaf = RawPki.Leaf(b);
        var stopwatch = Stopwatch.StartNew();

        var result = RawPki.Validate(leaf, RawPki.ServerPolicy(root), null, aByB, bByA, b, a);

        Assert.True(result.IsValid, result.Detail);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void The_search_is_bounded_however_many_look_alike_issuers_are_sent()
    {
        var root = RawPki.Root();
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var lookAlikes = Enumerable.Range(0, 8).Select(i => RawPki.Intermediate(RawPki.Root($"CN=Stranger {i}"), "CN=Issuing", key: key)).ToList();
        var leaf = RawPki.Leaf(lookAlikes[0]);

        var candidates = PathBuilder.Candidates(leaf.Certificate, [.. lookAlikes.Select(l => l.Certificate)], [root.Certificate], 7);

        Assert.Empty(candidates);
        var result = RawPki.Validate(leaf, RawPki.ServerPolicy(root), null, [.. lookAlikes]);
        Assert.Equal(ChainFailureReason.UntrustedRoot, result.Reason);
    }

    [Fact]
    public void Candidate_paths_are_capped()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var roots = Enumerable.Range(0, 12).Select(i => RawPki.Root($"CN=Root {i}")).ToList();
        var issuing = roots.Select(r => RawPki.Intermediate(r, "CN=Issuing", key: key)).ToList();
        var leaf = RawPki.Leaf(issuing[0]);

        var candidates = PathBuilder.Candidates(leaf.Certificate, [.. issuing.Select(i => i.Certificate)], [.. roots.Select(r => r.Certificate)], 5);

        Assert.Equal(PathBuilder.MaxCandidatePaths, candidates.Count);
    }
}
