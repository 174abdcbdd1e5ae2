using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Tests.Certificates;

/// <summary>The embedded Public Suffix List and wildcards directly over a public suffix, on chains built at test time.</summary>
public sealed class PublicSuffixListTests
{
    [Fact]
    public void The_embedded_list_loads_its_icann_section_only()
    {
        var list = PublicSuffixList.Icann;

        Assert.InRange(list.Count, 6000, 20000);
        Assert.True(list.IsPublicSuffix("co.uk"));
        // github.io is in the private section, which is not read.
        Assert.False(list.IsPublicSuffix("github.io"));
    }

    [Theory]
    [InlineData("com", true)]
    [InlineData("co.uk", true)]
    [InlineData("CO.UK.", true)]
    [InlineData("com.au", true)]
    [InlineData("xn--55qx5d.cn", true)] // 公司.cn, an IDN rule compared as A-labels
    [InlineData("anything.bd", true)] // *.bd
    [InlineData("foo.kawasaki.jp", true)] // *.kawasaki.jp
    [InlineData("city.kawasaki.jp", false)] // !city.kawasaki.jp
    [InlineData("kawasaki.jp", false)]
    [InlineData("example.co.uk", false)]
    [InlineData("example.com", false)]
    [InlineData("example.internal", false)] // only the unlisted TLD itself is a suffix
    [InlineData("internal", true)]
    public void A_name_is_a_public_suffix_by_the_lists_rules(string name, bool suffix) =>
        Assert.Equal(suffix, PublicSuffixList.Icann.IsPublicSuffix(name));

    [Fact]
    public void Rules_wildcards_and_exceptions_follow_the_published_format()
    {
        using var reader = new StringReader("""
            // header
            a.example
            // ===BEGIN ICANN DOMAINS===
            // a comment
            b.test  trailing words are ignored
            *.w.test
            !keep.w.test
            例え.test
            // ===END ICANN DOMAINS===
            // ===BEGIN PRIVATE DOMAINS===
            private.test
            // ===END PRIVATE DOMAINS===
            """);

        var list = PublicSuffixList.Parse(reader);

        Assert.Equal(4, list.Count);
        Assert.True(list.IsPublicSuffix("b.test"));
        Assert.True(list.IsPublicSuffix("x.w.test"));
        Assert.False(list.IsPublicSuffix("keep.w.test"));
        Assert.False(list.IsPublicSuffix("w.test"));
        Assert.True(list.IsPublicSuffix(new System.Globalization.IdnMapping().GetAscii("例え.test")));
        Assert.False(list.IsPublicSuffix("a.example"));
        Assert.False(list.IsPublicSuffix("private.test"));
    }

    [Theory]
    [InlineData("com\nco.uk\n")]
    [InlineData("// ===BEGIN ICANN DOMAINS===\ncom\n")]
    [InlineData("// ===BEGIN ICANN DOMAINS===\nfoo.*.bar\n// ===END ICANN DOMAINS===\n")]
    [InlineData("// ===BEGIN ICANN DOMAINS===\n!\n// ===END ICANN DOMAINS===\n")]
    public void A_list_without_a_complete_icann_section_or_with_a_malformed_rule_is_refused(string text)
    {
        using var reader = new StringReader(text);

        Assert.Throws<FormatException>(() => PublicSuffixList.Parse(reader));
    }

    [Theory]
    [InlineData("*.co.uk")]
    [InlineData("*.CO.UK")]
    [InlineData("*.com.au")]
    [InlineData("*.xn--55qx5d.cn")]
    [InlineData("*.foo.bd")]
    [InlineData("*.foo.kawasaki.jp")]
    public void A_wildcard_directly_over_a_multi_label_public_suffix_is_refused(string wildcard)
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root, subject: "CN=leaf", dnsNames: ["leaf.example.com", wildcard]);

        var result = RawPki.Validate(leaf, RawPki.ServerPolicy(root));

        Assert.Equal(ChainFailureReason.InvalidName, result.Reason);
        Assert.Contains("public suffix", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*.example.co.uk")]
    [InlineData("*.github.io")]
    [InlineData("*.city.kawasaki.jp")]
    [InlineData("*.kawasaki.jp")]
    [InlineData("*.example.internal")]
    public void A_wildcard_one_label_below_a_public_suffix_or_over_a_private_suffix_is_accepted(string wildcard)
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root, dnsNames: [wildcard]);

        var result = RawPki.Validate(leaf, RawPki.ServerPolicy(root));

        Assert.True(result.IsValid, result.Detail);
    }

    [Fact]
    public void Verify_explains_the_refusal_with_its_code_and_one_line()
    {
        var root = RawPki.Root();
        var leaf = RawPki.Leaf(root, dnsNames: ["*.co.uk"]);

        var report = ChainValidator.ExplainAt(leaf.Certificate, [], RawPki.ServerPolicy(root), null, RawPki.Now);

        var failed = Assert.Single(report.Steps, s => s.Outcome == ValidationOutcome.Failed);
        Assert.Equal("certificate rules", failed.Check);
        Assert.Equal("invalid-name", report.Result.Code);
        Assert.Contains("'*.co.uk', a wildcard directly over the public suffix 'co.uk'", failed.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failed.Detail);
    }

    [Fact]
    public void The_ca_does_not_issue_a_wildcard_over_a_public_suffix()
    {
        using var pki = new TestPki();

        var error = Assert.Throws<ArgumentException>(() => pki.Client(change: r => r with { DnsNames = ["*.co.uk"] }));

        Assert.Contains("public suffix", error.Message, StringComparison.Ordinal);
        using var fine = pki.Client(change: r => r with { DnsNames = ["*.example.co.uk"] });
    }
}
